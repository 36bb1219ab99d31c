// Importing a root filesystem tarball as a one-layer image.

package images

import (
	"cmp"
	"fmt"
	"runtime"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"mini/steps/04-images/imagestore"
)

// Import makes an image of one layer from a root filesystem archive at
// path (what export writes), with the changes applied to its config.
func (s *Store) Import(path, tag string, changes []string, message string) (*imagestore.Record, error) {
	layer, err := tarball.LayerFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: layer, History: v1.History{
		Created: v1.Time{Time: time.Now().UTC()}, CreatedBy: "mini import", Comment: cmp.Or(message, "Imported from "+path)}})
	if err != nil {
		return nil, err
	}
	img, err = editConfig(img, func(cfg *v1.ConfigFile) error {
		cfg.OS, cfg.Architecture, cfg.Created = "linux", runtime.GOARCH, v1.Time{Time: time.Now().UTC()}
		cfg.Config.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
		return applyChanges(&cfg.Config, changes)
	})
	if err != nil {
		return nil, err
	}
	return s.Add(img, tag)
}
