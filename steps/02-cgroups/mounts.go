// The cgroup filesystem inside the container.
//
// Docker mounts the cgroup filesystem read-only at /sys/fs/cgroup in every
// container. Because the container has its own cgroup namespace (step 01
// unshares it after the process joined its group), the root of what it
// mounts is its own group: it reads its own memory.max or
// memory.limit_in_bytes and cannot see, or climb to, the host's groups.

package cgroups

import (
	"path/filepath"
	"sort"

	"golang.org/x/sys/unix"

	namespaces "mini/steps/01-namespaces"
)

const cgroupFlags = unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC

// ContainerMounts are the mounts that give a container its /sys/fs/cgroup:
// the one cgroup2 tree on v2; on v1 a tmpfs holding one mount per
// hierarchy, as on the host.
func ContainerMounts(readOnly bool) ([]namespaces.Mount, error) {
	var ro uintptr
	if readOnly {
		ro = unix.MS_RDONLY
	}
	layout, err := DetectLayout()
	if err != nil {
		return nil, err
	}
	if layout == Unified {
		return []namespaces.Mount{{Source: "cgroup", Target: Mountpoint, Type: "cgroup2", Flags: cgroupFlags | ro}}, nil
	}
	hier, err := v1Hierarchies()
	if err != nil {
		return nil, err
	}
	mounts := []namespaces.Mount{{Source: "tmpfs", Target: Mountpoint, Type: "tmpfs", Flags: cgroupFlags, Data: "mode=755"}}
	for _, h := range uniqueHierarchies(hier) {
		mounts = append(mounts, namespaces.Mount{
			Source: "cgroup", Target: filepath.Join(Mountpoint, filepath.Base(h.mountpoint)),
			Type: "cgroup", Flags: cgroupFlags | ro, Data: h.options,
		})
	}
	return append(mounts, namespaces.Mount{Target: Mountpoint, Flags: unix.MS_REMOUNT | cgroupFlags | ro}), nil
}

// uniqueHierarchies lists each v1 hierarchy once, in a stable order.
func uniqueHierarchies(hier map[string]v1Hierarchy) []v1Hierarchy {
	seen := map[string]bool{}
	var out []v1Hierarchy
	for _, h := range hier {
		if !seen[h.mountpoint] {
			seen[h.mountpoint] = true
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].mountpoint < out[j].mountpoint })
	return out
}
