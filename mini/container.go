// A container's directory under the state root:
//
//	$root/containers/ID/config.json  what the container was made from
//	$root/containers/ID/upper        its writes (step 03's upper layer)
//	$root/containers/ID/work         overlayfs's scratch space
//	$root/containers/ID/merged       where its root is mounted, inside its
//	                                 own mount namespace only
//
// The runtime stage adds the container's state, log and name beside these.

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	namespaces "mini/steps/01-namespaces"
	unionfs "mini/steps/03-unionfs"
)

// containerConfig is what config.json records.
type containerConfig struct {
	ID      string    `json:"Id"`
	Created time.Time `json:"Created"`
	Path    string    `json:"Path"`
	Args    []string  `json:"Args"`
	Lower   []string  `json:"Lower"` // the read-only layers, top first
}

// container is a container's directory.
type container struct {
	dir string
	cfg containerConfig
}

func containersDir(root string) string { return filepath.Join(root, "containers") }

func (c *container) upper() string  { return filepath.Join(c.dir, "upper") }
func (c *container) work() string   { return filepath.Join(c.dir, "work") }
func (c *container) merged() string { return filepath.Join(c.dir, "merged") }

// createContainer makes the container's directory and points spec at it:
// the root becomes an overlay of spec.Rootfs (read-only) and the
// container's upper directory. On failure nothing is left.
func createContainer(root, id string, spec *namespaces.Spec) (*container, error) {
	c := &container{
		dir: filepath.Join(containersDir(root), id),
		cfg: containerConfig{ID: id, Created: time.Now().UTC(), Path: spec.Args[0], Args: spec.Args[1:], Lower: []string{spec.Rootfs}},
	}
	if err := c.make(); err != nil {
		os.RemoveAll(c.dir)
		return nil, err
	}
	data, dir := unionfs.Layers{Lower: c.cfg.Lower, Upper: c.upper(), Work: c.work()}.MountData()
	spec.RootfsMount = &namespaces.Mount{Source: "overlay", Type: "overlay", Data: data, Dir: dir}
	spec.Rootfs = c.merged()
	return c, nil
}

func (c *container) make() error {
	for _, d := range []string{c.upper(), c.work(), c.merged()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("make container directory: %w", err)
		}
	}
	if err := unionfs.CheckUpper(c.upper()); err != nil {
		return err
	}
	// The overlay's root directory takes its mode and owner from the upper
	// directory: give it the lower root's, or "/" would be root's alone.
	if err := unionfs.CopyRootAttrs(c.cfg.Lower[0], c.upper()); err != nil {
		return err
	}
	return writeJSON(filepath.Join(c.dir, "config.json"), &c.cfg)
}

// remove deletes the container's directory.
func (c *container) remove() error { return os.RemoveAll(c.dir) }

// writeJSON writes v to path through a temporary file and a rename, so
// that a reader never sees half a file.
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	return os.Rename(tmp, path)
}

// findContainer resolves an ID or unique prefix to a stored container.
func findContainer(root, ref string) (*container, error) {
	entries, err := os.ReadDir(containersDir(root))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var found []string
	for _, e := range entries {
		if ref != "" && strings.HasPrefix(e.Name(), ref) {
			found = append(found, e.Name())
		}
	}
	switch {
	case len(found) == 0:
		return nil, fmt.Errorf("no such container: %s", ref)
	case len(found) > 1:
		return nil, fmt.Errorf("%d containers match the prefix %s: give more of the ID", len(found), ref)
	}
	c := &container{dir: filepath.Join(containersDir(root), found[0])}
	data, err := os.ReadFile(filepath.Join(c.dir, "config.json"))
	if err == nil {
		err = json.Unmarshal(data, &c.cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("read container %s: %w", found[0], err)
	}
	return c, nil
}
