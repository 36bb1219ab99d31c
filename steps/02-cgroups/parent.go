// The parent group: where containers' groups live, listed and tidied.

package cgroups

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// parentDirs are the parent's directories: one per v1 hierarchy, or one.
func parentDirs(parent string) ([]string, error) {
	rel, err := groupPath(parent, "x")
	if err != nil {
		return nil, err
	}
	rel = filepath.Dir(rel)
	layout, err := DetectLayout()
	if err != nil {
		return nil, err
	}
	if layout == Unified {
		return []string{filepath.Join(Mountpoint, rel)}, nil
	}
	g, err := loadV1(rel)
	if err != nil {
		return nil, err
	}
	return g.uniqueDirs(), nil
}

// List names the groups under parent: the containers that have one.
func List(parent string) ([]string, error) {
	dirs, err := parentDirs(parent)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dirs[0])
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list cgroups in %s: %w", dirs[0], err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// RemoveParent removes parent, level by level from the deepest, in every
// hierarchy, as long as the levels are empty; a level that still holds
// groups or processes is left as it is.
func RemoveParent(parent string) error {
	dirs, err := parentDirs(parent)
	if err != nil {
		return err
	}
	levels := strings.Count(strings.Trim(filepath.Clean("/"+parent), "/"), "/") + 1
	for _, dir := range dirs {
		for i := 0; i < levels; i, dir = i+1, filepath.Dir(dir) {
			if err := removeEmptyDir(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
				break // in use: leave it and its ancestors
			}
		}
	}
	return nil
}
