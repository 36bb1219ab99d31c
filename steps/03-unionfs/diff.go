// What a container changed: read from its upper directory alone.
//
// Everything the container wrote is in the upper directory, and nothing
// else is: a new file is there (Added); a changed lower file was copied up
// there (Changed); a deleted lower file left a whiteout there (Deleted).
// Whether an upper entry is added or changed depends on whether a lower
// layer has the same path, looked up inside each layer as the container
// sees it.

package unionfs

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"

	"golang.org/x/sys/unix"

	namespaces "mini/steps/01-namespaces"
)

// Change is one path a container added (A), changed (C) or deleted (D),
// as Docker's diff prints it.
type Change struct {
	Kind byte
	Path string
}

func (c Change) String() string { return fmt.Sprintf("%c %s", c.Kind, c.Path) }

// Changes lists what upper adds to, changes in or deletes from lower (top
// layer first), sorted by path.
//
//lab:03 walk upper and classify each entry: a whiteout is D, a path some lower layer has is C, else A
func Changes(upper string, lower []string) ([]Change, error) {
	roots := make([]int, 0, len(lower))
	for _, l := range lower {
		fd, err := unix.Open(l, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil, fmt.Errorf("open layer %s: %w", l, err)
		}
		defer unix.Close(fd)
		roots = append(roots, fd)
	}
	var changes []Change
	err := filepath.WalkDir(upper, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == upper {
			return err
		}
		rel, _ := filepath.Rel(upper, p)
		switch {
		case isWhiteout(p, d):
			changes = append(changes, Change{'D', "/" + rel})
		case inAnyLayer(roots, rel):
			changes = append(changes, Change{'C', "/" + rel})
		default:
			changes = append(changes, Change{'A', "/" + rel})
		}
		return nil
	})
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes, err
}

// isWhiteout says whether p is overlayfs's mark of a deletion: a character
// device numbered 0/0.
//
//lab:03 say whether p is overlayfs's whiteout: a character device whose number is 0/0
func isWhiteout(p string, d fs.DirEntry) bool {
	if d.Type()&fs.ModeCharDevice == 0 {
		return false
	}
	var st unix.Stat_t
	return unix.Lstat(p, &st) == nil && st.Rdev == 0
}

func inAnyLayer(roots []int, rel string) bool {
	for _, root := range roots {
		if fd, err := namespaces.OpenInRoot(root, rel, unix.O_PATH|unix.O_NOFOLLOW); err == nil {
			unix.Close(fd)
			return true
		}
	}
	return false
}
