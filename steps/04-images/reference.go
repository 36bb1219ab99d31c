// The registry client's view of an image name.

package images

import (
	"github.com/google/go-containerregistry/pkg/name"

	"mini/steps/04-images/imagestore"
)

// remoteRef is ref as go-containerregistry reads it. A registry on a
// loopback address is spoken to in plain HTTP (go-containerregistry's
// rule), others in HTTPS.
func remoteRef(ref *imagestore.Reference) (name.Reference, error) {
	return name.ParseReference(ref.Full())
}
