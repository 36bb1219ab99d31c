// Logging in to a registry: check the credentials with the registry, then
// keep them where Docker keeps them, so that docker and mini share one
// login and pulls and pushes find it (authn.DefaultKeychain reads it).
// That is Docker's config ($DOCKER_CONFIG/config.json, else
// ~/.docker/config.json), or, when the config names a credential helper
// (credsStore, or credHelpers for this registry), the helper: the
// docker-credential-NAME program keeps the secret, and config.json only
// says there is a login. docker/cli's own config package does this, so
// mini follows Docker's rules exactly.

package images

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/docker/cli/cli/config"
	"github.com/docker/cli/cli/config/configfile"
	"github.com/docker/cli/cli/config/types"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"mini/steps/04-images/imagestore"
)

// dockerHubKey is how Docker's config names Docker Hub.
const dockerHubKey = "https://index.docker.io/v1/"

// Login checks user and password against the registry and keeps them.
func Login(ctx context.Context, server, user, password string) error {
	reg, err := CheckLogin(ctx, server, user, password)
	if err != nil {
		return err
	}
	cf, err := loadDockerConfig()
	if err != nil {
		return err
	}
	key := configKey(reg)
	if err := cf.GetCredentialsStore(key).Store(types.AuthConfig{Username: user, Password: password, ServerAddress: key}); err != nil {
		return fmt.Errorf("keep the credentials for %s: %w", key, err)
	}
	return nil
}

// ErrUnauthorized is what a refused login matches (errors.Is): a daemon
// answers 401 for it.
var ErrUnauthorized = errors.New("the registry refused the credentials")

type unauthorizedError string

func (e unauthorizedError) Error() string        { return string(e) }
func (e unauthorizedError) Is(target error) bool { return target == ErrUnauthorized }

// CheckLogin asks the registry whether user and password are good, and
// keeps nothing (a daemon's /auth: the client keeps them).
func CheckLogin(ctx context.Context, server, user, password string) (name.Registry, error) {
	reg, insecure, err := registryFor(server)
	if err != nil {
		return reg, err
	}
	base, err := registryTransport(reg.RegistryStr(), insecure)
	if err != nil {
		return reg, err
	}
	auth := &authn.Basic{Username: user, Password: password}
	tr, err := transport.NewWithContext(ctx, reg, auth, base, []string{reg.Scope(transport.PullScope)})
	if err != nil {
		return reg, fmt.Errorf("login to %s: %w", reg.RegistryStr(), err)
	}
	resp, err := getV2(&http.Client{Transport: tr}, reg)
	if err != nil {
		return reg, fmt.Errorf("login to %s: %w", reg.RegistryStr(), err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		return reg, unauthorizedError("login to " + reg.RegistryStr() + ": unauthorized: incorrect username or password")
	}
	if resp.StatusCode != http.StatusOK {
		return reg, fmt.Errorf("login to %s: %s", reg.RegistryStr(), resp.Status)
	}
	return reg, nil
}

// getV2 asks the registry's API root, in HTTPS, or where plain HTTP is
// allowed (an insecure registry, loopback) in HTTP if HTTPS fails, as the
// registry client does.
func getV2(c *http.Client, reg name.Registry) (*http.Response, error) {
	resp, err := c.Get("https://" + reg.RegistryStr() + "/v2/")
	if err != nil && reg.Scheme() == "http" {
		resp, err = c.Get("http://" + reg.RegistryStr() + "/v2/")
	}
	return resp, err
}

// Logout forgets the registry's credentials, in the file or in the
// helper; it says whether there were any.
func Logout(server string) (bool, error) {
	reg, err := name.NewRegistry(server)
	if err != nil {
		return false, fmt.Errorf("invalid registry %q: %v", server, err)
	}
	cf, err := loadDockerConfig()
	if err != nil {
		return false, err
	}
	key := configKey(reg)
	if _, had := cf.GetAuthConfigs()[key]; !had {
		return false, nil
	}
	if err := cf.GetCredentialsStore(key).Erase(key); err != nil {
		return true, fmt.Errorf("remove the credentials for %s: %w", key, err)
	}
	return true, nil
}

// ClientAuth is what a client of a daemon sends for a pull or push of
// ref (X-Registry-Auth): the credentials kept here for ref's registry, as
// base64url of JSON; base64url of {} when there are none.
func ClientAuth(ref string) string {
	var a types.AuthConfig
	if r, err := imagestore.ParseReference(ref); err == nil {
		if reg, err := name.NewRegistry(r.Registry); err == nil {
			if cf, err := loadDockerConfig(); err == nil {
				a, _ = cf.GetAuthConfig(configKey(reg))
			}
		}
	}
	data, _ := json.Marshal(a)
	return base64.URLEncoding.EncodeToString(data)
}

func configKey(reg name.Registry) string {
	if reg.RegistryStr() == name.DefaultRegistry {
		return dockerHubKey
	}
	return reg.RegistryStr()
}

// loadDockerConfig reads Docker's config.json ($DOCKER_CONFIG, else
// ~/.docker), or an empty one where there is none yet.
func loadDockerConfig() (*configfile.ConfigFile, error) {
	dir := os.Getenv("DOCKER_CONFIG")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".docker")
	}
	cf, err := config.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("read Docker's config in %s: %w", dir, err)
	}
	return cf, nil
}
