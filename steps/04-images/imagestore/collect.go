// Collecting what no image uses.
//
// An image is a record naming files: blobs (its manifest, its config, its
// compressed layers) and unpacked layers. A writer (a pull, a load, a
// commit) writes the files first and the record last, so that no record
// ever names a missing file; for a while, then, its files belong to no
// record. A pull that fails midway, or is killed, leaves them so for good,
// and a killed writer also leaves its temporary files (named .tmp-PID-…).
//
// Collect removes both. It must never take a live writer's files from
// under it, so writers hold the store's ingest lock shared from their
// first file to their record (Ingest), and Collect holds it exclusive: it
// runs while no writer is midway, and writers wait while it runs. flock(2)
// gives both kinds of lock, and the kernel drops a killed writer's.

package imagestore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"mini/internal/flock"
)

// Ingest runs fn, which adds files and a record to the store, holding the
// ingest lock shared.
func (s *Store) Ingest(fn func() error) error {
	return flock.Shared(filepath.Join(s.dir, ".ingest.lock"), fn)
}

// Collect removes the layers and blobs no image names, except the layer
// directories in keep (the layers containers run on), and what dead
// writers left. It returns the bytes freed.
func (s *Store) Collect(keep map[string]bool) (int64, error) {
	var freed int64
	err := flock.With(filepath.Join(s.dir, ".ingest.lock"), func() error {
		return s.withLock(func() error {
			freed = s.RemoveStaleTemps()
			layers, blobs, err := s.inUse()
			if err != nil {
				return err
			}
			for name := range keep {
				layers[filepath.Base(name)] = true
			}
			freed += removeUnused(s.LayersDir(), layers)
			freed += removeUnused(s.BlobsDir(), blobs)
			return nil
		})
	})
	return freed, err
}

// inUse lists, by file name, the layers and blobs the records name.
func (s *Store) inUse() (layers, blobs map[string]bool, err error) {
	all, err := s.Records()
	if err != nil {
		return nil, nil, err
	}
	layers, blobs = map[string]bool{}, map[string]bool{}
	for _, r := range all {
		for _, d := range r.DiffIDs {
			layers[strings.TrimPrefix(d, "sha256:")] = true
		}
		for _, d := range append([]string{r.ID, r.Manifest}, s.layerBlobs(r)...) {
			blobs[strings.TrimPrefix(d, "sha256:")] = true
		}
	}
	return layers, blobs, nil
}

// removeUnused removes the entries of dir not in used, and returns their
// size. Temporary files are RemoveStaleTemps' to judge.
func removeUnused(dir string, used map[string]bool) int64 {
	entries, _ := os.ReadDir(dir)
	var freed int64
	for _, e := range entries {
		if used[e.Name()] || strings.Contains(e.Name(), ".tmp-") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		size := DiskUsage(path)
		if os.RemoveAll(path) == nil {
			freed += size
		}
	}
	return freed
}

// RemoveStaleTemps removes the temporary files and directories of writers
// that are gone: named .tmp-PID-…, for a PID that no longer runs. It
// returns their size.
func (s *Store) RemoveStaleTemps() int64 {
	var freed int64
	for _, dir := range []string{s.LayersDir(), s.BlobsDir(), s.recordsDir(), s.dir} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			_, rest, ok := strings.Cut(e.Name(), ".tmp-")
			if !ok {
				continue
			}
			pid, _, _ := strings.Cut(rest, "-")
			if n, err := strconv.Atoi(pid); err == nil && !alive(n) {
				path := filepath.Join(dir, e.Name())
				size := DiskUsage(path)
				if os.RemoveAll(path) == nil {
					freed += size
				}
			}
		}
	}
	return freed
}

func alive(pid int) bool {
	_, err := os.Stat(fmt.Sprintf("/proc/%d", pid))
	return !errors.Is(err, fs.ErrNotExist)
}

// DiskUsage adds up the bytes of the regular files at or under path.
func DiskUsage(path string) int64 {
	var total int64
	filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
			}
		}
		return nil
	})
	return total
}
