// What a registry's refusal means, said as Docker says it.
//
// A registry answers a failed request with an HTTP status and a JSON list
// of errors, each with a code from the distribution spec: MANIFEST_UNKNOWN
// (no such tag or digest), NAME_UNKNOWN (no such repository), UNAUTHORIZED
// and DENIED (credentials missing or refused). go-containerregistry hands
// these back as a *transport.Error quoting the request; the user wants the
// meaning and what to do next.

package images

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"mini/steps/04-images/imagestore"
)

// registryError rephrases err from a registry about ref, for the verb
// ("pull" or "push") that failed. Errors it does not know pass unchanged.
func registryError(verb string, ref *imagestore.Reference, err error) error {
	var te *transport.Error
	if errors.As(err, &te) {
		for _, d := range te.Errors {
			switch d.Code {
			case transport.ManifestUnknownErrorCode:
				return unknownError("manifest for " + ref.Name + " not found: manifest unknown")
			case transport.NameUnknownErrorCode:
				return unknownError("repository " + ref.Repository() + " not found: name unknown")
			}
		}
		// A HEAD request's refusal has a status but no body to say more.
		if te.StatusCode == http.StatusUnauthorized || te.StatusCode == http.StatusForbidden {
			return fmt.Errorf("%s access denied for %s: the repository does not exist or needs credentials (mini login %s)",
				verb, ref.Repository(), registryName(ref))
		}
	}
	var unknownCA x509.UnknownAuthorityError
	var badCert *tls.CertificateVerificationError
	// The registry client flattens some errors to text on the way: the
	// words are the check then.
	if errors.As(err, &unknownCA) || errors.As(err, &badCert) || strings.Contains(err.Error(), "x509: ") {
		host := registryName(ref)
		return fmt.Errorf("%s %s: the registry's certificate is not trusted (%v): put its CA in %s/%s/ca.crt, or list %s in insecure-registries of %s",
			verb, ref.Name, err, CertsDir(), host, host, ConfigFile())
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return fmt.Errorf("%s %s: cannot reach the registry %s: %v", verb, ref.Name, registryName(ref), oe.Err)
	}
	return fmt.Errorf("%s %s: %w", verb, ref.Name, err)
}

// ErrUnknown is what an error matches (errors.Is) when the registry has
// no such image: a daemon answers 404 for it.
var ErrUnknown = errors.New("unknown to the registry")

type unknownError string

func (e unknownError) Error() string        { return string(e) }
func (e unknownError) Is(target error) bool { return target == ErrUnknown }

// registryName is the registry as the client spoke to it (Docker Hub's
// API lives at index.docker.io).
func registryName(ref *imagestore.Reference) string {
	if rref, err := remoteRef(ref); err == nil {
		return rref.Context().RegistryStr()
	}
	return ref.Registry
}
