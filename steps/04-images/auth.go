// Logging in to a registry: check the credentials with the registry, then
// keep them where Docker keeps them ($DOCKER_CONFIG/config.json, else
// ~/.docker/config.json), in Docker's format, so that docker and mini share
// one login and pulls and pushes find it (authn.DefaultKeychain reads it).

package images

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"mini/internal/atomicfile"
)

// dockerHubKey is how Docker's config names Docker Hub.
const dockerHubKey = "https://index.docker.io/v1/"

// Login checks user and password against the registry and keeps them.
func Login(ctx context.Context, server, user, password string) error {
	reg, err := name.NewRegistry(server)
	if err != nil {
		return fmt.Errorf("invalid registry %q: %v", server, err)
	}
	auth := &authn.Basic{Username: user, Password: password}
	tr, err := transport.NewWithContext(ctx, reg, auth, http.DefaultTransport, []string{reg.Scope(transport.PullScope)})
	if err != nil {
		return fmt.Errorf("login to %s: %w", reg.RegistryStr(), err)
	}
	resp, err := (&http.Client{Transport: tr}).Get(reg.Scheme() + "://" + reg.RegistryStr() + "/v2/")
	if err != nil {
		return fmt.Errorf("login to %s: %w", reg.RegistryStr(), err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("login to %s: unauthorized: incorrect username or password", reg.RegistryStr())
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("login to %s: %s", reg.RegistryStr(), resp.Status)
	}
	token := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	return editAuths(func(auths map[string]any) { auths[configKey(reg)] = map[string]string{"auth": token} })
}

// Logout forgets the registry's credentials; it says whether there were any.
func Logout(server string) (bool, error) {
	reg, err := name.NewRegistry(server)
	if err != nil {
		return false, fmt.Errorf("invalid registry %q: %v", server, err)
	}
	had := false
	err = editAuths(func(auths map[string]any) {
		_, had = auths[configKey(reg)]
		delete(auths, configKey(reg))
	})
	return had, err
}

func configKey(reg name.Registry) string {
	if reg.RegistryStr() == name.DefaultRegistry {
		return dockerHubKey
	}
	return reg.RegistryStr()
}

func configPath() string {
	dir := os.Getenv("DOCKER_CONFIG")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".docker")
	}
	return filepath.Join(dir, "config.json")
}

// editAuths changes the "auths" of Docker's config.json and keeps every
// other setting in it as it was.
func editAuths(edit func(map[string]any)) error {
	path := configPath()
	cfg := map[string]any{}
	if data, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(data, &cfg); err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
	}
	auths, _ := cfg["auths"].(map[string]any)
	if auths == nil {
		auths = map[string]any{}
	}
	edit(auths)
	cfg["auths"] = auths
	data, err := json.MarshalIndent(cfg, "", "\t")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, data)
}
