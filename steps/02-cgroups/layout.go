// Which cgroup hierarchy this machine has.
//
// Linux has two versions of cgroups, and a machine mounts them in one of
// three ways:
//
//	unified  cgroup v2 only: one tree at /sys/fs/cgroup, every controller
//	         in it (Debian 11+, Ubuntu 21.10+, Fedora 31+)
//	legacy   cgroup v1 only: one tree per controller,
//	         /sys/fs/cgroup/memory, /sys/fs/cgroup/cpu, ...
//	hybrid   v1 trees for the controllers, plus a cgroup2 tree at
//	         /sys/fs/cgroup/unified that has no controllers (systemd uses
//	         it only to track processes)
//
// The mount's filesystem type tells them apart: statfs(2) reports
// CGROUP2_SUPER_MAGIC for a cgroup2 mount and TMPFS_MAGIC for the tmpfs
// that holds the v1 trees.

package cgroups

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// Layout is the way cgroups are mounted on this machine.
type Layout int

const (
	Legacy  Layout = iota // v1 only
	Hybrid                // v1 controllers, plus a controller-less v2 tree
	Unified               // v2 only
)

// Mountpoint is where the cgroup filesystems are mounted.
const Mountpoint = "/sys/fs/cgroup"

func (l Layout) String() string {
	switch l {
	case Unified:
		return "unified"
	case Hybrid:
		return "hybrid"
	}
	return "legacy"
}

// Version is the cgroup version whose controllers mini uses: 2 only on a
// unified machine; a hybrid machine's controllers are v1.
func (l Layout) Version() int {
	if l == Unified {
		return 2
	}
	return 1
}

// DetectLayout looks at the filesystem types under /sys/fs/cgroup, once
// per process: the layout does not change while mini runs.
var DetectLayout = sync.OnceValues(detectLayout)

func detectLayout() (Layout, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(Mountpoint, &st); err != nil {
		return Legacy, fmt.Errorf("statfs %s: %w (is cgroupfs mounted?)", Mountpoint, err)
	}
	if st.Type == unix.CGROUP2_SUPER_MAGIC {
		return Unified, nil
	}
	if err := unix.Statfs(Mountpoint+"/unified", &st); err == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		return Hybrid, nil
	}
	return Legacy, nil
}

// Has says whether the machine offers a controller (memory, cpu, cpuset,
// pids...) where mini looks for it: in the root's cgroup.controllers on
// v2, as a tree of its own on v1.
func (l Layout) Has(controller string) bool {
	if l == Unified {
		data, err := os.ReadFile(Mountpoint + "/cgroup.controllers")
		return err == nil && slices.Contains(strings.Fields(string(data)), controller)
	}
	_, err := os.Stat(Mountpoint + "/" + controller)
	return err == nil
}
