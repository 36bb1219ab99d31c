// Loading an OCI archive: an OCI image layout (oci-layout, index.json,
// blobs/sha256/...) in a tar, as `podman save --format oci-archive` and
// skopeo's oci-archive: transport write it, or the layout's directory
// itself (skopeo's oci: transport, buildah push oci:DIR).
//
// A docker save archive lists its images in manifest.json; an OCI layout
// lists them in index.json, each descriptor naming its image in an
// annotation. The blobs are the same either way: a manifest, a config and
// the layers, each found by its digest.

package images

import (
	"fmt"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"

	unionfs "mini/steps/03-unionfs"
	"mini/steps/04-images/imagestore"
)

// The annotations that name an image in an index: containerd's (and
// Docker's) full name, and the OCI one, which podman and skopeo fill with
// a full name but which may be a bare tag.
const (
	containerdNameAnnotation = "io.containerd.image.name"
	ociRefNameAnnotation     = "org.opencontainers.image.ref.name"
)

// loadOCIArchive unpacks the archive at path into a temporary directory of
// the store (step 03's safe extraction: the tar cannot write elsewhere),
// then adds every image its index lists.
func (s *Store) loadOCIArchive(path string) ([]string, error) {
	dir, err := os.MkdirTemp(s.Dir(), fmt.Sprintf(".tmp-%d-oci-", os.Getpid()))
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	err = unionfs.Apply(dir, f, unionfs.ApplyOptions{})
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("not an image archive: %w", err)
	}
	return s.loadOCILayout(dir)
}

// loadOCILayout adds every image the index of the layout in dir lists.
func (s *Store) loadOCILayout(dir string) ([]string, error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("not an image archive: no manifest.json, and no OCI index.json: %w", err)
	}
	manifest, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("read the archive's index.json: %w", err)
	}
	var loaded []string
	for _, desc := range manifest.Manifests {
		img, err := imageFor(idx, desc)
		if err != nil {
			return loaded, err
		}
		tag := ociName(desc.Annotations)
		rec, err := s.Add(img, tag)
		if err != nil {
			return loaded, err
		}
		if ref, err := imagestore.ParseReference(tag); tag != "" && err == nil {
			loaded = append(loaded, ref.Name)
		} else {
			loaded = append(loaded, rec.ID)
		}
	}
	if len(loaded) == 0 {
		return nil, fmt.Errorf("the archive's index lists no image")
	}
	return loaded, nil
}

// imageFor is the image desc points at: itself, or for a multi-platform
// index, its entry for this machine's platform.
func imageFor(idx v1.ImageIndex, desc v1.Descriptor) (v1.Image, error) {
	if desc.MediaType.IsImage() {
		return idx.Image(desc.Digest)
	}
	if !desc.MediaType.IsIndex() {
		return nil, fmt.Errorf("the archive's index lists a %s, not an image", desc.MediaType)
	}
	child, err := idx.ImageIndex(desc.Digest)
	if err != nil {
		return nil, err
	}
	m, err := child.IndexManifest()
	if err != nil {
		return nil, err
	}
	for _, d := range m.Manifests {
		if d.Platform != nil && d.Platform.Satisfies(Platform) {
			return child.Image(d.Digest)
		}
	}
	return nil, fmt.Errorf("the archive has no image for %s/%s", Platform.OS, Platform.Architecture)
}

// ociName is the full name the annotations give, or "" when they give
// none or only a bare tag such as "latest" (the image is then loaded
// untagged, by ID). A full name has a "/" or a ":" in it.
func ociName(ann map[string]string) string {
	for _, key := range []string{containerdNameAnnotation, ociRefNameAnnotation} {
		if n := ann[key]; n != "" {
			if _, err := imagestore.ParseReference(n); err == nil && strings.ContainsAny(n, "/:") {
				return n
			}
		}
	}
	return ""
}
