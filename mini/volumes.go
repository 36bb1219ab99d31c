// -v: volumes, the part of a container's filesystem that is not in its
// layers and outlives it.
//
//	-v /host/dir:/ctr[:ro|rw]  a bind mount of a host directory or file
//	-v name:/ctr[:ro|rw]       a named volume: $root/volumes/name/_data
//	-v /ctr                    an anonymous volume, named at random
//
// Every kind ends as a bind mount made by step 01 (bind.go); a volume is
// simply a directory that mini keeps.

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	namespaces "mini/steps/01-namespaces"
)

// volumeName is what Docker accepts as a volume's name.
var volumeName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

func volumesDir(root string) string { return filepath.Join(root, "volumes") }

// volumeData is where a volume's files are.
func volumeData(root, name string) string { return filepath.Join(volumesDir(root), name, "_data") }

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
		v.target, v.name, v.anonymous = parts[0], newID(), true
	case 2:
		v.target = parts[1]
		switch {
		case filepath.IsAbs(parts[0]):
			v.source = filepath.Clean(parts[0])
		case volumeName.MatchString(parts[0]):
			v.name = parts[0]
		default:
			return v, fmt.Errorf("invalid volume %q: %q is neither an absolute host path nor a volume name", spec, parts[0])
		}
	default:
		return v, fmt.Errorf("invalid volume %q: want HOST:CONTAINER[:ro|rw], NAME:CONTAINER[:ro|rw] or CONTAINER", spec)
	}
	if !filepath.IsAbs(v.target) || v.target == "/" {
		return v, fmt.Errorf("invalid volume %q: the container path must be absolute, and not /", spec)
	}
	return v, nil
}

// prepareVolumes reads every -v, makes what is missing (a bind's host
// directory, a volume's directory) and returns the binds, and the names of
// the anonymous volumes made (for --rm to remove).
func prepareVolumes(root string, specs []string) (binds []namespaces.Bind, anonymous []string, err error) {
	var parsed []parsedVolume
	for _, s := range specs {
		v, err := parseVolume(s)
		if err != nil {
			return nil, nil, err
		}
		parsed = append(parsed, v)
	}
	for _, v := range parsed {
		src := v.source
		if src == "" {
			src = volumeData(root, v.name)
			if v.anonymous {
				anonymous = append(anonymous, v.name)
			}
		}
		if _, err := os.Stat(src); os.IsNotExist(err) {
			if err := os.MkdirAll(src, 0o755); err != nil {
				return nil, nil, fmt.Errorf("make volume directory %s: %w", src, err)
			}
		}
		binds = append(binds, namespaces.Bind{Source: src, Target: v.target, ReadOnly: v.readOnly})
	}
	return binds, anonymous, nil
}

// removeVolumes deletes volumes by name.
func removeVolumes(root string, names []string) {
	for _, n := range names {
		os.RemoveAll(filepath.Join(volumesDir(root), n))
	}
}
