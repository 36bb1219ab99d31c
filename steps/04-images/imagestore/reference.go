// Image names, as Docker reads them: busybox is docker.io/library/busybox:latest;
// user/img:tag, host:port/repo@sha256:... and so on.

package imagestore

import (
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// Reference is a parsed image name.
type Reference struct {
	Ref  name.Reference // as go-containerregistry reads it, for the registry client
	Name string         // the familiar form: busybox:latest, 127.0.0.1:5000/app:1
}

// ParseReference reads an image name. A registry on a loopback address is
// spoken to in plain HTTP (go-containerregistry's rule), others in HTTPS.
func ParseReference(s string) (*Reference, error) {
	ref, err := name.ParseReference(s)
	if err != nil {
		return nil, fmt.Errorf("invalid reference format %q: %v", s, err)
	}
	return &Reference{Ref: ref, Name: familiar(ref)}, nil
}

// familiar drops what Docker leaves unsaid: the default registry and the
// "library/" of its official images.
func familiar(ref name.Reference) string {
	repo := ref.Context()
	n := repo.RepositoryStr()
	if repo.RegistryStr() == name.DefaultRegistry {
		n = strings.TrimPrefix(n, "library/")
	} else {
		n = repo.RegistryStr() + "/" + n
	}
	if d, ok := ref.(name.Digest); ok {
		return n + "@" + d.DigestStr()
	}
	return n + ":" + ref.Identifier()
}

// Repository is the name without tag or digest.
func (r *Reference) Repository() string {
	n, _, _ := strings.Cut(r.Name, "@")
	if i := strings.LastIndex(n, ":"); i > strings.LastIndex(n, "/") {
		n = n[:i]
	}
	return n
}
