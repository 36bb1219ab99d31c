// A container in the store: its directory under the state root and the
// one record that says what it is (container.json). The record is written
// whole when the container is made and again only when it is renamed, so
// its name, image and ID are kept in one place; what changes while it runs
// is its supervisor's state.json (state.go).

package runtime

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"golang.org/x/sys/unix"

	namespaces "mini/steps/01-namespaces"
	unionfs "mini/steps/03-unionfs"
	"mini/steps/07-runtime/store"
	"mini/steps/07-runtime/supervisor"
)

// Record is container.json: the supervisor's Job (what to start: its ID,
// name, image, Spec, limits, network, restart policy) and what only the
// commands need besides.
type Record struct {
	supervisor.Job
	ImageID string    `json:"image_id,omitempty"`
	Created time.Time `json:"created"`
	Lower   []string  `json:"lower"` // the read-only layers, top first
	Volumes []Volume  `json:"volumes,omitempty"`
	// What the user asked of its confinement, as inspect shows it (the
	// Spec holds what it comes to).
	CapAdd      []string `json:"cap_add,omitempty"`
	CapDrop     []string `json:"cap_drop,omitempty"`
	SecurityOpt []string `json:"security_opt,omitempty"`
	// LogOpts are --log-opt's, as given (inspect's LogConfig.Config).
	LogOpts map[string]string `json:"log_opts,omitempty"`
	// Config is what create fixed of Docker's Config (inspect_config.go):
	// the command's halves and the image's ports, volumes and labels.
	Config *container.Config `json:"config,omitempty"`
}

// Volume is one of a container's volumes, kept so that --volumes-from can
// give another container the same, and rm -v can remove the anonymous ones.
type Volume struct {
	Name      string `json:"name,omitempty"` // a volume's; empty for a host bind
	Source    string `json:"source"`
	Target    string `json:"target"`
	ReadOnly  bool   `json:"read_only,omitempty"`
	Anonymous bool   `json:"anonymous,omitempty"`
}

// Container is a stored container.
type Container struct {
	Dir store.Dir
	Record
}

// Path and Args are the command the container runs, as inspect shows them.
func (c *Container) Path() string   { return c.Spec.Args[0] }
func (c *Container) Args() []string { return c.Spec.Args[1:] }

// ShortID is the ID's first 12 digits.
func (c *Container) ShortID() string { return c.ID[:12] }

// write replaces the container's record.
func (c *Container) write() error { return store.WriteJSON(c.Dir.Record(), &c.Record) }

// make makes the container's directory and writes its record: the root
// becomes an overlay of the record's layers (read-only: the --rootfs
// directory, or an image's) and the container's upper directory, volatile
// for a container removed when it exits (--rm).
func (c *Container) make() error {
	for _, d := range []string{c.Dir.Upper(), c.Dir.Work(), c.Dir.Merged()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("make container directory: %w", err)
		}
	}
	if err := unionfs.CheckUpper(c.Dir.Upper()); err != nil {
		return err
	}
	// The overlay's root directory takes its mode and owner from the upper
	// directory: give it the lower root's, or "/" would be root's alone.
	if err := unionfs.CopyRootAttrs(c.Lower[0], c.Dir.Upper()); err != nil {
		return err
	}
	if err := makeInitLayer(c.Dir.Init(), c.Lower); err != nil { // initlayer.go
		return fmt.Errorf("make the container's init layer: %w", err)
	}
	data, dir := c.layers(c.AutoRemove).MountData()
	c.Spec.RootfsMount = &namespaces.Mount{Source: "overlay", Type: "overlay", Data: data, Dir: dir}
	c.Spec.Rootfs = c.Dir.Merged()
	return c.write()
}

func (c *Container) layers(volatile bool) unionfs.Layers {
	return unionfs.Layers{Lower: c.lowerWithInit(), Upper: c.Dir.Upper(), Work: c.Dir.Work(), Volatile: volatile}
}

// store saves a new container under the names lock: its name must be free
// (a random one is chosen when it has none). On failure nothing is left.
func (rt *Runtime) store(c *Container) error {
	c.Dir = store.Container(rt.Root, c.ID)
	err := store.WithNamesLock(rt.Root, func() error {
		named := rt.byName() // read once: every container's record
		if c.Name == "" {
			c.Name = randomName(func(n string) bool { return named[n] != nil })
		} else if other := named[c.Name]; other != nil {
			return nameTaken(c.Name, other)
		}
		return c.make()
	})
	if err != nil {
		os.RemoveAll(string(c.Dir)) // named by its new ID: nothing else is there
	}
	return err
}

func nameTaken(name string, by *Container) error {
	return conflict("the container name %q is already in use by container %s: remove it (mini rm) to reuse the name", name, by.ShortID())
}

// OpenRoot opens the container's root directory: the live one of a
// running container (/proc/PID/root, its own mount namespace's view), or a
// detached overlay of a stopped one's layers, writable if asked.
func (c *Container) OpenRoot(writable bool) (*os.File, error) {
	if st := c.State(); st.Pid != 0 {
		return os.OpenFile(fmt.Sprintf("/proc/%d/root", st.Pid), unix.O_PATH|unix.O_DIRECTORY, 0)
	}
	return unionfs.OpenView(c.layers(false), writable)
}

// List reads every stored container.
func (rt *Runtime) List() ([]*Container, error) {
	entries, err := os.ReadDir(store.Containers(rt.Root))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var out []*Container
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c := &Container{Dir: store.Container(rt.Root, e.Name())}
		if rt.Records.read(c.Dir.Record(), &c.Record) != nil {
			continue // being made or removed: not a container (yet)
		}
		c.Root = rt.Root
		out = append(out, c)
	}
	return out, nil
}

// byName maps every container's name to it.
func (rt *Runtime) byName() map[string]*Container {
	all, _ := rt.List()
	named := make(map[string]*Container, len(all))
	for _, c := range all {
		named[c.Name] = c
	}
	return named
}

// Find resolves a name, an ID or a unique ID prefix, as Docker does: an
// exact name or ID first, then prefixes.
func (rt *Runtime) Find(ref string) (*Container, error) {
	all, err := rt.List()
	if err != nil {
		return nil, err
	}
	var byPrefix []*Container
	for _, c := range all {
		if ref != "" && (c.Name == ref || c.ID == ref) {
			return c, nil
		}
		if ref != "" && strings.HasPrefix(c.ID, ref) {
			byPrefix = append(byPrefix, c)
		}
	}
	switch {
	case len(byPrefix) == 0:
		if err := rt.findUnreadable(ref); err != nil { // unreadable.go
			return nil, err
		}
		return nil, notFound("no such container: %s", ref)
	case len(byPrefix) > 1:
		return nil, invalid("ambiguous reference: %d containers match the prefix %s: give more of the ID", len(byPrefix), ref)
	}
	return byPrefix[0], nil
}

// Rename gives a container another name. Names are unique: the check and
// the change happen under the names lock, and the change is one write.
func (rt *Runtime) Rename(ref, name string) error {
	if !ValidName(name) {
		return invalid("invalid container name %q: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name)
	}
	return store.WithNamesLock(rt.Root, func() error {
		c, err := rt.Find(ref)
		if err != nil {
			return err
		}
		if c.Name == name {
			return invalid("renaming a container with the same name as its current name")
		}
		if other := rt.byName()[name]; other != nil {
			return nameTaken(name, other)
		}
		old := c.Name
		c.Name = name
		if err := c.write(); err != nil {
			return err
		}
		c.Event("rename", "oldName", old)
		return nil
	})
}

// EventAttrs are a container's attributes in events (its labels, name
// and image), and the key-value pairs given.
func (c *Container) EventAttrs(kv ...string) map[string]string {
	extra := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		extra[kv[i]] = kv[i+1]
	}
	return c.Attributes(extra)
}

// Event records an event of the container's in the events log.
func (c *Container) Event(action string, kv ...string) {
	supervisor.LogEvent(c.Root, action, c.ID, c.EventAttrs(kv...))
}

// Create stores a new container made from rec, whose ID is set: its
// directory, its writable layer and its record. Its name is taken under
// the names lock (a random one when rec has none). On failure nothing is
// left of it.
func (rt *Runtime) Create(rec *Record) (*Container, error) {
	c := &Container{Record: *rec}
	c.Root = rt.Root
	if err := rt.store(c); err != nil {
		return nil, err
	}
	c.Event("create")
	return c, nil
}

// Remove deletes a stopped container's directory and, with volumes, the
// anonymous volumes it made.
func (c *Container) Remove(volumes bool) error {
	if volumes {
		RemoveVolumes(c.Root, AnonymousVolumes(c.Volumes))
	}
	if err := os.RemoveAll(string(c.Dir)); err != nil {
		return err
	}
	c.Event("destroy")
	return nil
}

// AnonymousVolumes names the volumes a container made for itself.
func AnonymousVolumes(vols []Volume) []string {
	var names []string
	for _, v := range vols {
		if v.Anonymous {
			names = append(names, v.Name)
		}
	}
	return names
}

// RemoveVolumes deletes volumes by name.
func RemoveVolumes(root string, names []string) {
	for _, n := range names {
		os.RemoveAll(store.Volume(root, n))
	}
}
