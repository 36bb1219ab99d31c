// The image store on disk: records, tags and layer directories.

package imagestore

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"mini/internal/atomicfile"
	"mini/internal/flock"
)

// Store is the image store under a state root.
type Store struct {
	dir string
}

// Record is what the store keeps about one image.
type Record struct {
	ID          string    `json:"Id"`          // sha256:HEX of the config
	RepoTags    []string  `json:"RepoTags"`    // names that point at it
	RepoDigests []string  `json:"RepoDigests"` // name@sha256:manifest
	Created     time.Time `json:"Created"`
	Size        int64     `json:"Size"`    // unpacked bytes of all layers
	DiffIDs     []string  `json:"DiffIDs"` // layers, bottom first
	Manifest    string    `json:"Manifest"`
}

// Open opens (making if needed) the store under root.
func Open(root string) (*Store, error) {
	s := &Store{dir: filepath.Join(root, "images")}
	for _, d := range []string{s.BlobsDir(), s.LayersDir(), s.recordsDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("make image store %s: %w", d, err)
		}
	}
	return s, nil
}

// Peek opens the store under root only to read it: nothing is made, and
// a root without one reads as an empty store (mini info).
func Peek(root string) *Store { return &Store{dir: filepath.Join(root, "images")} }

// BlobsDir holds manifests, configs and compressed layers by digest;
// LayersDir the unpacked layers.
func (s *Store) BlobsDir() string   { return filepath.Join(s.dir, "blobs", "sha256") }
func (s *Store) LayersDir() string  { return filepath.Join(s.dir, "layers") }
func (s *Store) recordsDir() string { return filepath.Join(s.dir, "images") }

// LayerDir is where the layer with this diffID is unpacked.
func (s *Store) LayerDir(diffID string) string {
	return filepath.Join(s.LayersDir(), strings.TrimPrefix(diffID, "sha256:"))
}

// HasLayer says whether the layer is unpacked already.
func (s *Store) HasLayer(diffID string) bool {
	_, err := os.Stat(s.LayerDir(diffID))
	return err == nil
}

// WriteBlob keeps a manifest or config by its digest.
func (s *Store) WriteBlob(digest string, data []byte) error {
	return atomicfile.WriteBytes(filepath.Join(s.BlobsDir(), strings.TrimPrefix(digest, "sha256:")), data)
}

// ReadBlob returns a kept manifest or config.
func (s *Store) ReadBlob(digest string) ([]byte, error) {
	return os.ReadFile(filepath.Join(s.BlobsDir(), strings.TrimPrefix(digest, "sha256:")))
}

// withLock runs fn holding the store's lock: records and tags change only
// under it, so concurrent minis never lose each other's changes.
func (s *Store) withLock(fn func() error) error {
	return flock.With(filepath.Join(s.dir, ".lock"), fn)
}

// Records lists every image, newest first.
func (s *Store) Records() ([]*Record, error) {
	entries, err := os.ReadDir(s.recordsDir())
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		r, err := s.readRecord(filepath.Join(s.recordsDir(), e.Name()))
		if err == nil {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, nil
}

func (s *Store) readRecord(path string) (*Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &r, nil
}

func (s *Store) recordPath(id string) string {
	return filepath.Join(s.recordsDir(), strings.TrimPrefix(id, "sha256:")+".json")
}

// AddRecord stores an image's record, moving its name from any other image
// that had it (a tag points at one image at a time).
func (s *Store) AddRecord(r *Record, tag, repoDigest string) error {
	return s.withLock(func() error {
		all, err := s.Records()
		if err != nil {
			return err
		}
		for _, other := range all {
			if other.ID == r.ID {
				r.RepoTags, r.RepoDigests = other.RepoTags, other.RepoDigests
				continue
			}
			if without := remove(other.RepoTags, tag); len(without) != len(other.RepoTags) {
				other.RepoTags = without
				if err := s.saveRecord(other); err != nil {
					return err
				}
			}
		}
		if tag != "" {
			r.RepoTags = addOnce(r.RepoTags, tag)
		}
		if repoDigest != "" {
			r.RepoDigests = addOnce(r.RepoDigests, repoDigest)
		}
		return s.saveRecord(r)
	})
}

func (s *Store) saveRecord(r *Record) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(s.recordPath(r.ID), data)
}

// Lookup finds an image by name (tag or digest) or by ID or ID prefix.
func (s *Store) Lookup(ref string) (*Record, error) {
	all, err := s.Records()
	if err != nil {
		return nil, err
	}
	want := ref
	if r, err := ParseReference(ref); err == nil {
		want = r.Name
	}
	var byID []*Record
	for _, r := range all {
		for _, n := range append(r.RepoTags, r.RepoDigests...) {
			if n == want {
				return r, nil
			}
		}
		hex := strings.TrimPrefix(r.ID, "sha256:")
		if id := strings.TrimPrefix(ref, "sha256:"); len(id) >= 4 && strings.HasPrefix(hex, id) {
			byID = append(byID, r)
		}
	}
	if len(byID) == 1 {
		return byID[0], nil
	}
	if len(byID) > 1 {
		return nil, fmt.Errorf("%d images match the ID prefix %s: give more of it", len(byID), ref)
	}
	return nil, ErrNotFound
}

// TempFile makes a temporary file in the store (on its filesystem, removed
// by the next pull if its mini dies).
func (s *Store) TempFile(what string) (*os.File, error) {
	return os.CreateTemp(s.dir, fmt.Sprintf(".tmp-%d-%s-", os.Getpid(), what))
}

// ErrNotFound says the store has no such image.
var ErrNotFound = errors.New("no such image")

// Dir is the store's directory, for files other steps keep beside it
// (step 06's build cache).
func (s *Store) Dir() string { return s.dir }

// LowerDirs are the image's layer directories for overlayfs: top first.
//
// A layer the image has twice (two steps that added the same files) is
// one directory here, and overlayfs refuses a lower directory given twice:
// only its upper place is kept. The lower one changes nothing: whatever
// the layers between them hide or change, the upper copy puts back as it
// was.
func (s *Store) LowerDirs(r *Record) []string {
	var dirs []string
	seen := map[string]bool{}
	for i := len(r.DiffIDs) - 1; i >= 0; i-- {
		if d := s.LayerDir(r.DiffIDs[i]); !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	return dirs
}

func remove(list []string, s string) []string {
	var out []string
	for _, v := range list {
		if v != s {
			out = append(out, v)
		}
	}
	return out
}

func addOnce(list []string, s string) []string {
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}
