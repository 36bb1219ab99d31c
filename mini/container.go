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
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"mini/internal/atomicfile"
	"mini/internal/flock"
	namespaces "mini/steps/01-namespaces"
	unionfs "mini/steps/03-unionfs"
)

// containerConfig is what config.json records.
type containerConfig struct {
	ID      string         `json:"Id"`
	Name    string         `json:"Name,omitempty"`
	Image   string         `json:"Image,omitempty"` // the image it was made from, if any
	ImageID string         `json:"ImageID,omitempty"`
	Created time.Time      `json:"Created"`
	Path    string         `json:"Path"`
	Args    []string       `json:"Args"`
	Lower   []string       `json:"Lower"` // the read-only layers, top first
	Volumes []volumeRecord `json:"Volumes,omitempty"`
	// What the container runs with, for inspect.
	Hostname   string   `json:"Hostname"`
	Env        []string `json:"Env"`
	User       string   `json:"User,omitempty"`
	WorkingDir string   `json:"WorkingDir,omitempty"`
	Tty        bool     `json:"Tty,omitempty"`
}

// volumeRecord is one of a container's volumes, kept so that
// --volumes-from can give another container the same, and rm -v can remove
// the anonymous ones.
type volumeRecord struct {
	Name      string `json:"Name,omitempty"` // a volume's; empty for a host bind
	Source    string `json:"Source"`
	Target    string `json:"Target"`
	ReadOnly  bool   `json:"ReadOnly,omitempty"`
	Anonymous bool   `json:"Anonymous,omitempty"`
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
// the root becomes an overlay of the source's layers (read-only: the
// --rootfs directory, or an image's) and the container's upper directory,
// volatile for a container removed when it exits (--rm). A name must be
// free: it is checked and taken under the store's lock. On failure nothing
// is left.
func createContainer(root, id, name string, spec *namespaces.Spec, src *rootSource, vols []volumeRecord, autoRemove bool) (*container, error) {
	c := &container{
		dir: filepath.Join(containersDir(root), id),
		cfg: containerConfig{ID: id, Name: name, Image: src.image, ImageID: src.imageID, Created: time.Now().UTC(), Path: spec.Args[0],
			Args: spec.Args[1:], Lower: src.lower, Volumes: vols,
			Hostname: spec.Hostname, Env: spec.Env, User: spec.User, WorkingDir: spec.Cwd, Tty: spec.Tty},
	}
	err := withStoreLock(root, func() error {
		named := containersByName(root) // read once: every container's config
		if name == "" {
			c.cfg.Name = randomName(func(n string) bool { return named[n] != nil })
		} else if other := named[name]; other != nil {
			return fmt.Errorf("the container name %q is already in use by container %s: remove it (mini rm) to reuse the name", name, other.cfg.ID[:12])
		}
		return c.make()
	})
	if err != nil {
		os.RemoveAll(c.dir) // named by its new ID: nothing else is there
		return nil, err
	}
	data, dir := unionfs.Layers{Lower: c.cfg.Lower, Upper: c.upper(), Work: c.work(), Volatile: autoRemove}.MountData()
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

// openRoot opens the container's root directory: the live one of a
// running container (/proc/PID/root, its own mount namespace's view), or a
// detached overlay of a stopped one's layers, writable if asked.
func (c *container) openRoot(root string, writable bool) (*os.File, error) {
	if st := c.state(root); st.Pid != 0 {
		return os.OpenFile(fmt.Sprintf("/proc/%d/root", st.Pid), unix.O_PATH|unix.O_DIRECTORY, 0)
	}
	return unionfs.OpenView(unionfs.Layers{Lower: c.cfg.Lower, Upper: c.upper(), Work: c.work()}, writable)
}

// openContainerRoot finds a container by name or ID and opens its root
// (see openRoot).
func openContainerRoot(root, ref string, writable bool) (*os.File, error) {
	c, err := findContainer(root, ref)
	if err != nil {
		return nil, err
	}
	return c.openRoot(root, writable)
}

// remove deletes the container's directory.
func (c *container) remove() error { return os.RemoveAll(c.dir) }

// removeWithVolumes deletes the container and the anonymous volumes it made.
func (c *container) removeWithVolumes(root string) error {
	removeVolumes(root, anonymousVolumes(c.cfg.Volumes))
	return c.remove()
}

// writeJSON writes v to path, all or nothing (internal/atomicfile).
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, data)
}

// withStoreLock runs fn holding the lock that orders changes to the store's
// names (an flock on $root/containers/.lock).
func withStoreLock(root string, fn func() error) error {
	if err := makeContainersDir(containersDir(root)); err != nil {
		return fmt.Errorf("make %s: %w", containersDir(root), err)
	}
	return flock.With(filepath.Join(containersDir(root), ".lock"), fn)
}

// fsTopdirFlag is FS_TOPDIR_FL (linux/fs.h), chattr's +T.
const fsTopdirFlag = 0x20000

// makeContainersDir makes the directory of containers, once, marked as the
// top of unrelated directory trees (chattr +T), as /home is meant to be.
// On ext4 that makes each container's directory start in a block group
// of its own choosing instead of next to the one before, and it matters
// on an ext4 without a journal: there, the inode allocator skips the
// inodes freed in the last minutes, looking at each in turn, so in one
// group where containers come and go by the thousand every new file costs
// more than the last. Other filesystems ignore the flag or refuse it.
func makeContainersDir(dir string) error {
	err := os.Mkdir(dir, 0o700)
	if errors.Is(err, os.ErrNotExist) {
		if err = os.MkdirAll(filepath.Dir(dir), 0o700); err == nil {
			err = os.Mkdir(dir, 0o700)
		}
	}
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0); err == nil {
		if flags, err := unix.IoctlGetUint32(fd, unix.FS_IOC_GETFLAGS); err == nil {
			unix.IoctlSetPointerInt(fd, unix.FS_IOC_SETFLAGS, int(flags|fsTopdirFlag))
		}
		unix.Close(fd)
	}
	return nil
}

// allContainers reads every stored container.
func allContainers(root string) ([]*container, error) {
	entries, err := os.ReadDir(containersDir(root))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var out []*container
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c := &container{dir: filepath.Join(containersDir(root), e.Name())}
		data, err := os.ReadFile(filepath.Join(c.dir, "config.json"))
		if err != nil || json.Unmarshal(data, &c.cfg) != nil {
			continue // being made or removed: not a container (yet)
		}
		out = append(out, c)
	}
	return out, nil
}

// errAmbiguous is an ID prefix that more than one container has.
var errAmbiguous = errors.New("ambiguous reference")

// namedContainer is the container with this exact name, or nil.
func namedContainer(root, name string) *container {
	return containersByName(root)[name]
}

// containersByName maps every container's name to it.
func containersByName(root string) map[string]*container {
	all, _ := allContainers(root)
	named := make(map[string]*container, len(all))
	for _, c := range all {
		named[c.cfg.Name] = c
	}
	return named
}

// findContainer resolves a name, an ID or a unique ID prefix, as Docker
// does: an exact name or ID first, then prefixes.
func findContainer(root, ref string) (*container, error) {
	all, err := allContainers(root)
	if err != nil {
		return nil, err
	}
	var byPrefix []*container
	for _, c := range all {
		if ref != "" && (c.cfg.Name == ref || c.cfg.ID == ref) {
			return c, nil
		}
		if ref != "" && strings.HasPrefix(c.cfg.ID, ref) {
			byPrefix = append(byPrefix, c)
		}
	}
	switch {
	case len(byPrefix) == 0:
		return nil, fmt.Errorf("no such container: %s", ref)
	case len(byPrefix) > 1:
		return nil, fmt.Errorf("%w: %d containers match the prefix %s: give more of the ID", errAmbiguous, len(byPrefix), ref)
	}
	return byPrefix[0], nil
}
