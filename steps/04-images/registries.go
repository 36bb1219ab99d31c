// How mini speaks to a registry, configured as Docker's daemon is:
//
//   - /etc/docker/certs.d/HOST:PORT/ holds what a registry with a
//     certificate of a private CA needs: *.crt files are CA certificates
//     to trust beside the system's, and a NAME.cert with its NAME.key is a
//     client certificate to present. mini reads Docker's directory
//     ($MINI_CERTS_D moves it), so a machine set up for docker is set up
//     for mini.
//   - "insecure-registries" in mini's daemon.json (/etc/mini/daemon.json,
//     or $MINI_CONFIG), Docker's key: registries, HOST:PORT or a CIDR, to
//     which HTTPS is tried without checking the certificate, then plain
//     HTTP.
//
// A registry on 127.0.0.1 or localhost is spoken to in HTTP if it has no
// HTTPS (go-containerregistry's rule); every other one needs HTTPS with a
// certificate the machine trusts, unless it is listed as insecure.

package images

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"mini/steps/04-images/imagestore"
)

// CertsDir is where the registries' certificates are, one directory a
// registry.
func CertsDir() string { return cmp.Or(os.Getenv("MINI_CERTS_D"), "/etc/docker/certs.d") }

// ConfigFile is mini's daemon.json.
func ConfigFile() string { return cmp.Or(os.Getenv("MINI_CONFIG"), "/etc/mini/daemon.json") }

// daemonConfig is the part of Docker's daemon.json mini reads.
type daemonConfig struct {
	InsecureRegistries []string `json:"insecure-registries"`
}

// insecureRegistry says whether host (HOST or HOST:PORT) is listed as
// insecure, by name or by an address in a listed CIDR.
func insecureRegistry(host string) (bool, error) {
	var cfg daemonConfig
	data, err := os.ReadFile(ConfigFile())
	if os.IsNotExist(err) {
		return false, nil
	}
	if err == nil {
		err = json.Unmarshal(data, &cfg)
	}
	if err != nil {
		return false, fmt.Errorf("read %s: %w", ConfigFile(), err)
	}
	hostname, _, splitErr := net.SplitHostPort(host)
	if splitErr != nil {
		hostname = host
	}
	for _, entry := range cfg.InsecureRegistries {
		if entry == host || entry == hostname {
			return true, nil
		}
		if _, cidr, err := net.ParseCIDR(entry); err == nil {
			if ip := net.ParseIP(hostname); ip != nil && cidr.Contains(ip) {
				return true, nil
			}
		}
	}
	return false, nil
}

// registryFor is the registry of host, insecure if listed so.
func registryFor(host string) (name.Registry, bool, error) {
	insecure, err := insecureRegistry(host)
	if err != nil {
		return name.Registry{}, false, err
	}
	var opts []name.Option
	if insecure {
		opts = append(opts, name.Insecure)
	}
	reg, err := name.NewRegistry(host, opts...)
	if err != nil {
		return name.Registry{}, false, fmt.Errorf("invalid registry %q: %v", host, err)
	}
	return reg, insecure, nil
}

// registryTransport is the HTTP transport for the registry host: the
// system's CAs and the registry's own from its certs.d directory, its
// client certificate, or no check of the certificate when insecure.
func registryTransport(host string, insecure bool) (http.RoundTripper, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecure}
	dir := filepath.Join(CertsDir(), host)
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("read the registry's certificates in %s: %w", dir, err)
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch filepath.Ext(e.Name()) {
		case ".crt": // a CA
			if cfg.RootCAs == nil {
				if cfg.RootCAs, err = x509.SystemCertPool(); err != nil {
					cfg.RootCAs = x509.NewCertPool()
				}
			}
			pem, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			if !cfg.RootCAs.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("%s holds no PEM certificate", path)
			}
		case ".cert": // a client certificate, with its key beside it
			key := strings.TrimSuffix(path, ".cert") + ".key"
			pair, err := tls.LoadX509KeyPair(path, key)
			if err != nil {
				return nil, fmt.Errorf("client certificate %s (and its key %s): %w", path, key, err)
			}
			cfg.Certificates = append(cfg.Certificates, pair)
		}
	}
	tr.TLSClientConfig = cfg
	return tr, nil
}

// remoteOptions are the registry client's options for a request to
// host: the context, credentials from Docker's config (credential helpers
// included), and the transport above.
func remoteOptions(ctx context.Context, host string, insecure bool) ([]remote.Option, error) {
	tr, err := registryTransport(host, insecure)
	if err != nil {
		return nil, err
	}
	auth := remote.WithAuthFromKeychain(authn.DefaultKeychain)
	if a, ok := ctx.Value(authKey{}).(authn.Authenticator); ok {
		auth = remote.WithAuth(a)
	}
	return []remote.Option{remote.WithContext(ctx), auth, remote.WithTransport(tr)}, nil
}

type authKey struct{}

// WithAuth makes the pulls and pushes done with ctx use a instead of the
// stored logins: a daemon is given its client's credentials with each
// request.
func WithAuth(ctx context.Context, a authn.Authenticator) context.Context {
	return context.WithValue(ctx, authKey{}, a)
}

// remoteFor is ref as the registry client reads it, and the options to
// reach its registry.
func remoteFor(ctx context.Context, ref *imagestore.Reference) (name.Reference, []remote.Option, error) {
	insecure, err := insecureRegistry(ref.Registry)
	if err != nil {
		return nil, nil, err
	}
	var nameOpts []name.Option
	if insecure {
		nameOpts = append(nameOpts, name.Insecure)
	}
	rref, err := name.ParseReference(ref.Full(), nameOpts...)
	if err != nil {
		return nil, nil, err
	}
	opts, err := remoteOptions(ctx, ref.Registry, insecure)
	return rref, opts, err
}
