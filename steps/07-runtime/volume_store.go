// Volumes as the store keeps them (mini volume): each a directory,
// volumes/NAME/_data, that containers bind-mount. A volume in use by a
// container, running or not, is not removed: the check and the removal
// happen under the names lock, so that no container is made with it
// meanwhile.

package runtime

import (
	"os"
	"sort"
	"time"

	"mini/steps/07-runtime/store"
)

// VolumeInfo is Docker's inspect shape for a volume.
type VolumeInfo struct {
	CreatedAt  time.Time
	Driver     string
	Labels     map[string]string
	Mountpoint string
	Name       string
	Options    map[string]string
	Scope      string
}

// CreateVolume makes a volume, named at random when name is "".
func (rt *Runtime) CreateVolume(name string) (string, error) {
	if name == "" {
		name = NewID()
	}
	if !ValidName(name) {
		return "", invalid("invalid volume name %q: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name)
	}
	return name, os.MkdirAll(store.VolumeData(rt.Root, name), 0o755)
}

// VolumeNames lists the volumes, sorted.
func (rt *Runtime) VolumeNames() ([]string, error) {
	entries, err := os.ReadDir(store.Volumes(rt.Root))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// InspectVolume describes a volume.
func (rt *Runtime) InspectVolume(name string) (*VolumeInfo, error) {
	fi, err := os.Stat(store.Volume(rt.Root, name))
	if err != nil || !ValidName(name) {
		return nil, notFound("no such volume: %s", name)
	}
	return &VolumeInfo{CreatedAt: fi.ModTime().UTC(), Driver: "local", Mountpoint: store.VolumeData(rt.Root, name),
		Name: name, Scope: "local"}, nil
}

// RemoveVolume removes a volume that no container uses.
func (rt *Runtime) RemoveVolume(name string) error {
	return store.WithNamesLock(rt.Root, func() error {
		if _, err := os.Stat(store.Volume(rt.Root, name)); err != nil || !ValidName(name) {
			return notFound("no such volume: %s", name)
		}
		ids, err := rt.usedBy(name)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			return conflict("volume %s is in use by %v: remove those containers first", name, ids)
		}
		return os.RemoveAll(store.Volume(rt.Root, name))
	})
}

// PruneVolumes removes every volume no container uses, and names them.
func (rt *Runtime) PruneVolumes() ([]string, error) {
	names, err := rt.VolumeNames()
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, n := range names {
		if rt.RemoveVolume(n) == nil {
			removed = append(removed, n)
		}
	}
	return removed, nil
}

// usedBy names the containers whose record mounts the volume.
func (rt *Runtime) usedBy(name string) ([]string, error) {
	all, err := rt.List()
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range all {
		for _, v := range c.Volumes {
			if v.Name == name {
				ids = append(ids, c.ShortID())
				break
			}
		}
	}
	return ids, nil
}
