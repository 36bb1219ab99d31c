// Naming and removing images, and what may be freed when one goes.

package imagestore

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Tag gives the image rec one more name (moved from any image that had it).
func (s *Store) Tag(rec *Record, target string) error {
	ref, err := ParseReference(target)
	if err != nil {
		return err
	}
	if strings.Contains(ref.Name, "@") {
		return fmt.Errorf("refusing to tag with a digest: %s", target)
	}
	return s.AddRecord(rec, ref.Name, "")
}

// Untag removes one name from an image; it returns the image, and whether
// that was its last name.
func (s *Store) Untag(name string) (*Record, bool, error) {
	var rec *Record
	err := s.withLock(func() error {
		r, err := s.Lookup(name)
		if err != nil {
			return err
		}
		want := name
		if ref, err := ParseReference(name); err == nil {
			want = ref.Name
		}
		r.RepoTags = remove(r.RepoTags, want)
		rec = r
		return s.saveRecord(r)
	})
	return rec, err == nil && len(rec.RepoTags) == 0, err
}

// Remove deletes an image's record, then every layer and blob that no
// other image, and no directory in keep (the layers containers run on),
// still uses. It returns the layers' diffIDs it deleted.
func (s *Store) Remove(rec *Record, keep map[string]bool) ([]string, error) {
	var deleted []string
	err := s.withLock(func() error {
		if err := os.Remove(s.recordPath(rec.ID)); err != nil {
			return err
		}
		others, err := s.Records()
		if err != nil {
			return err
		}
		used := map[string]bool{}
		for _, o := range others {
			for _, d := range o.DiffIDs {
				used[d] = true
			}
		}
		blobs := s.layerBlobs(rec)
		for i, d := range rec.DiffIDs {
			if used[d] || keep[s.LayerDir(d)] {
				continue
			}
			if err := os.RemoveAll(s.LayerDir(d)); err != nil {
				return err
			}
			if i < len(blobs) {
				os.Remove(filepath.Join(s.BlobsDir(), blobs[i]))
			}
			deleted = append(deleted, d)
		}
		for _, digest := range []string{rec.ID, rec.Manifest} {
			os.Remove(filepath.Join(s.BlobsDir(), strings.TrimPrefix(digest, "sha256:")))
		}
		return nil
	})
	return deleted, err
}

// layerBlobs lists the image's compressed layer blobs (hex digests), in the
// order of its diffIDs, from its manifest.
func (s *Store) layerBlobs(rec *Record) []string {
	data, err := s.ReadBlob(rec.Manifest)
	if err != nil {
		return nil
	}
	m, err := v1.ParseManifest(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range m.Layers {
		out = append(out, l.Digest.Hex)
	}
	return out
}
