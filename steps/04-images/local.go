// The store's images as go-containerregistry images, and any image into the
// store: what push, save, load and commit are built on.

package images

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"mini/steps/04-images/imagestore"
)

// storedImage serves an image from the store's blobs, exactly as pulled:
// same manifest, same compressed layers, so same digests.
type storedImage struct {
	s        *Store
	manifest []byte
	config   []byte
}

func (i *storedImage) RawManifest() ([]byte, error)   { return i.manifest, nil }
func (i *storedImage) RawConfigFile() ([]byte, error) { return i.config, nil }

func (i *storedImage) MediaType() (types.MediaType, error) {
	m, err := v1.ParseManifest(bytes.NewReader(i.manifest))
	if err != nil {
		return "", err
	}
	if m.MediaType != "" {
		return m.MediaType, nil
	}
	return types.OCIManifestSchema1, nil
}

func (i *storedImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	return &storedLayer{path: filepath.Join(i.s.BlobsDir(), h.Hex), digest: h, image: i}, nil
}

// storedLayer is one compressed layer blob of a stored image.
type storedLayer struct {
	path   string
	digest v1.Hash
	image  *storedImage
}

func (l *storedLayer) Digest() (v1.Hash, error) { return l.digest, nil }
func (l *storedLayer) Compressed() (io.ReadCloser, error) {
	f, err := os.Open(l.path)
	if os.IsNotExist(err) { // an older mini kept only the layer's files
		return nil, fmt.Errorf("the store lacks layer blob %s of this image: pull or load the image again to fetch it", l.digest)
	}
	return f, err
}

func (l *storedLayer) Size() (int64, error) {
	fi, err := os.Stat(l.path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func (l *storedLayer) MediaType() (types.MediaType, error) {
	m, err := v1.ParseManifest(bytes.NewReader(l.image.manifest))
	if err != nil {
		return "", err
	}
	for _, d := range m.Layers {
		if d.Digest == l.digest {
			return d.MediaType, nil
		}
	}
	return types.DockerLayer, nil
}

// Image returns a stored image for push and save.
func (s *Store) Image(rec *imagestore.Record) (v1.Image, error) {
	manifest, err := s.ReadBlob(rec.Manifest)
	if err != nil {
		return nil, fmt.Errorf("read manifest of %s: %w", rec.ID[7:19], err)
	}
	config, err := s.ReadBlob(rec.ID)
	if err != nil {
		return nil, fmt.Errorf("read config of %s: %w", rec.ID[7:19], err)
	}
	return partial.CompressedToImage(&storedImage{s: s, manifest: manifest, config: config})
}

// Add keeps any image (loaded from an archive, committed from a container)
// under the name tag ("" for none), unpacking the layers the store lacks.
func (s *Store) Add(img v1.Image, tag string) (*imagestore.Record, error) {
	name := ""
	if tag != "" {
		ref, err := imagestore.ParseReference(tag)
		if err != nil {
			return nil, err
		}
		name = ref.Name
	}
	var rec *imagestore.Record
	err := s.Ingest(func() error { // no collector while files have no record (imagestore/collect.go)
		var err error
		if rec, _, err = s.fetch(img, Lines{W: io.Discard}); err != nil {
			return err
		}
		return s.AddRecord(rec, name, "")
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}
