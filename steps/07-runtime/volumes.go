// -v: volumes, the part of a container's filesystem that is not in its
// layers and outlives it.
//
//	-v /host/dir:/ctr[:ro|rw]  a bind mount of a host directory or file
//	-v name:/ctr[:ro|rw]       a named volume: $root/volumes/name/_data
//	-v /ctr                    an anonymous volume, named at random
//
// Every kind ends as a bind mount made by step 01 (bind.go); a volume is
// simply a directory that mini keeps.

package runtime

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	namespaces "mini/steps/01-namespaces"
	"mini/steps/07-runtime/store"
)

// parsedVolume is one -v, read.
type parsedVolume struct {
	source    string // host path, or "" for a volume
	name      string // the volume's name, for named and anonymous ones
	anonymous bool
	target    string
	readOnly  bool
}

func parseVolume(spec string) (parsedVolume, error) {
	v := parsedVolume{}
	parts := strings.Split(spec, ":")
	if n := len(parts); n > 1 && (parts[n-1] == "ro" || parts[n-1] == "rw") {
		v.readOnly = parts[n-1] == "ro"
		parts = parts[:n-1]
	}
	switch len(parts) {
	case 1:
		v.target, v.name, v.anonymous = parts[0], NewID(), true
	case 2:
		v.target = parts[1]
		switch {
		case filepath.IsAbs(parts[0]):
			v.source = filepath.Clean(parts[0])
		case ValidName(parts[0]):
			v.name = parts[0]
		default:
			return v, invalid("invalid volume %q: %q is neither an absolute host path nor a volume name", spec, parts[0])
		}
	default:
		return v, invalid("invalid volume %q: want HOST:CONTAINER[:ro|rw], NAME:CONTAINER[:ro|rw] or CONTAINER", spec)
	}
	if !filepath.IsAbs(v.target) || v.target == "/" {
		return v, invalid("invalid volume %q: the container path must be absolute, and not /", spec)
	}
	return v, nil
}

// prepareVolumes reads every -v and --volumes-from, adds the image's
// volumes, and makes what is missing (a bind's host directory, a volume's
// directory, filled from the image: volume_image.go). It returns the
// records of the container's volumes, for its config and its binds.
func (rt *Runtime) prepareVolumes(src *rootSource, specs, from []string) ([]Volume, error) {
	root := rt.Root
	var vols []Volume
	for _, ref := range from {
		inherited, err := rt.volumesFrom(ref)
		if err != nil {
			return nil, err
		}
		vols = append(vols, inherited...)
	}
	inherited := len(vols)
	specs = append(specs, imageVolumes(src, specs, vols)...)
	for _, s := range specs {
		v, err := parseVolume(s)
		if err != nil {
			return nil, err
		}
		rec := Volume{Name: v.name, Source: v.source, Target: v.target, ReadOnly: v.readOnly, Anonymous: v.anonymous}
		if rec.Source == "" {
			rec.Source = store.VolumeData(root, v.name)
		}
		vols = append(vols, rec)
	}
	for _, v := range vols {
		if _, err := os.Stat(v.Source); os.IsNotExist(err) {
			if err := os.MkdirAll(v.Source, 0o755); err != nil {
				RemoveVolumes(root, AnonymousVolumes(vols))
				return nil, fmt.Errorf("make volume directory %s: %w", v.Source, err)
			}
		}
	}
	if err := populateVolumes(src.lower, vols[inherited:]); err != nil {
		RemoveVolumes(root, AnonymousVolumes(vols))
		return nil, err
	}
	return vols, nil
}

// volumesFrom gives the volumes of another container, at the same paths:
// the data-container pattern. CONTAINER:ro makes them all read-only here;
// they are not this container's own, so never removed with it.
func (rt *Runtime) volumesFrom(ref string) ([]Volume, error) {
	name, mode, _ := strings.Cut(ref, ":")
	if mode != "" && mode != "ro" && mode != "rw" {
		return nil, invalid("invalid --volumes-from %q: want CONTAINER[:ro|rw]", ref)
	}
	c, err := rt.Find(name)
	if err != nil {
		return nil, fmt.Errorf("--volumes-from: %w", err)
	}
	vols := make([]Volume, len(c.Volumes))
	for i, v := range c.Volumes {
		v.Anonymous = false
		if mode != "" {
			v.ReadOnly = mode == "ro"
		}
		vols[i] = v
	}
	return vols, nil
}

// binds turns volume records into step 01's bind mounts.
func binds(vols []Volume) []namespaces.Bind {
	out := make([]namespaces.Bind, len(vols))
	for i, v := range vols {
		out[i] = namespaces.Bind{Source: v.Source, Target: v.Target, ReadOnly: v.ReadOnly}
	}
	return out
}
