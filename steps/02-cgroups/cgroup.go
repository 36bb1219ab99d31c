// What a driver does, and what both versions share: the limits, the
// statistics, and where a container's group lives.

package cgroups

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// DefaultParent is the group under which containers' groups are made.
const DefaultParent = "mini"

// Resources are the limits of a container. Zero values mean "no limit".
type Resources struct {
	Memory     int64  // bytes
	MemorySwap int64  // memory plus swap, bytes; -1 unlimited swap
	CPUShares  uint64 // relative weight, 2..262144 (Docker's -c)
	CPUQuota   int64  // microseconds of CPU time per CPUPeriod
	CPUPeriod  uint64 // microseconds
	CpusetCpus string // CPUs allowed, "0-2,4"
	CpusetMems string // memory nodes allowed
	PidsLimit  int64  // most processes at once; -1 unlimited
	// Devices, when not nil, are the only device accesses allowed
	// (devices.go); nil leaves devices unrestricted, as --privileged does.
	Devices []DeviceRule
}

// Stats are a group's meters at one moment.
type Stats struct {
	CPUUsage    time.Duration // CPU time used since the group was made
	MemoryUsage uint64        // bytes
	MemoryLimit uint64        // bytes; the machine's memory when unlimited
	Pids        uint64
}

// Group is a container's cgroup, in whichever version the machine has.
type Group interface {
	// Apply writes the limits into the group's files.
	Apply(r *Resources) error
	// Join moves a process (and all its threads) into the group.
	Join(pid int) error
	// CloneInto opens the group's directory for creating a process right
	// inside it (clone3's CLONE_INTO_CGROUP, cgroup v2 only). On v1 it
	// returns nil, nil: the process must be moved with Join instead.
	CloneInto() (*os.File, error)
	// SelfJoinFiles are the v1 "tasks" files a thread writes "0" to in
	// order to move itself into the group, one per hierarchy; nil on v2.
	// Moving oneself is cheaper than being moved: it skips the global
	// cgroup_threadgroup_rwsem, whose write side waits for an RCU grace
	// period (milliseconds).
	SelfJoinFiles() []string
	// Procs lists the PIDs in the group.
	Procs() ([]int, error)
	// Stats reads the group's meters.
	Stats() (*Stats, error)
	// OOMKills says how many times the kernel's OOM killer killed a process
	// in the group.
	OOMKills() (int, error)
	// Freeze stops every process in the group; Thaw lets them run again.
	Freeze() error
	Thaw() error
	// Frozen says whether the group is frozen (a paused container).
	Frozen() (bool, error)
	// Kill sends SIGKILL to every process in the group and waits until
	// the group is empty.
	Kill() error
	// Destroy removes the group; it must have no processes left.
	Destroy() error
	// Paths are the group's directories: one per v1 hierarchy, one on v2.
	Paths() []string
}

// New makes the group parent/name and returns it. On failure nothing is
// left made.
//
// The parent may vanish under it: another container leaving removes mini's
// default parent once it is empty, and it can be empty for the moment
// between this one making it and making the group in it. The group's
// directory is then missing its parent (ENOENT), and making both again is
// the remedy.
func New(parent, name string) (Group, error) {
	for try := 0; ; try++ {
		g, err := open(parent, name, true)
		if err == nil || !errors.Is(err, os.ErrNotExist) || try == 4 {
			return g, err
		}
	}
}

// Load returns the existing group parent/name without changing it.
func Load(parent, name string) (Group, error) { return open(parent, name, false) }

// open finds the driver for this machine's layout and makes or loads the
// group with it.
func open(parent, name string, create bool) (Group, error) {
	rel, err := groupPath(parent, name)
	if err != nil {
		return nil, err
	}
	layout, err := DetectLayout()
	if err != nil {
		return nil, err
	}
	switch {
	case layout == Unified && create:
		return newV2(rel)
	case layout == Unified:
		return loadV2(rel)
	case create:
		return newV1(rel)
	}
	g, err := loadV1(rel)
	if err != nil {
		return nil, err // not a nil *v1Group inside a non-nil Group
	}
	return g, nil
}

// groupPath checks a parent name and joins it with the group's name. The
// parent is relative to the root of the hierarchy, as Docker's is.
func groupPath(parent, name string) (string, error) {
	clean := strings.Trim(path.Clean("/"+parent), "/")
	if parent == "" || clean == "" || strings.Contains(parent, "..") {
		return "", fmt.Errorf("invalid cgroup parent %q: want a path such as mini or mygroup/sub", parent)
	}
	if name == "" || strings.ContainsAny(name, "/.") {
		return "", fmt.Errorf("invalid cgroup name %q", name)
	}
	return clean + "/" + name, nil
}

// writeFile writes one value into a cgroup file, in one write(2): the
// kernel takes each write as one command. It says which file on failure.
func writeFile(dir, file, value string) error {
	return writeValues(dir, file, value)
}

// writeValues writes each value into a cgroup file with a write(2) of
// its own, through one descriptor (v1's devices.allow takes one rule per
// write).
func writeValues(dir, file string, values ...string) error {
	p := path.Join(dir, file)
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, v := range values {
		if _, err := f.WriteString(v); err != nil {
			return fmt.Errorf("write %q to %s: %w", v, p, err)
		}
	}
	return nil
}

// readString reads a cgroup file whole, trimmed of its final newline.
func readString(dir, file string) (string, error) {
	data, err := os.ReadFile(path.Join(dir, file))
	return strings.TrimSpace(string(data)), err
}

func readUint(dir, file string) (uint64, error) {
	s, err := readString(dir, file)
	if err != nil {
		return 0, err
	}
	if s == "max" {
		return 0, nil
	}
	return strconv.ParseUint(s, 10, 64)
}

// readKeyed reads one "key value" line of a flat keyed file such as
// memory.events or cpu.stat.
func readKeyed(dir, file, key string) (uint64, error) {
	s, err := readString(dir, file)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(s, "\n") {
		if v, ok := strings.CutPrefix(line, key+" "); ok {
			return strconv.ParseUint(v, 10, 64)
		}
	}
	return 0, fmt.Errorf("%s: no %q in %s", dir, key, file)
}

// readProcs lists the PIDs in a group directory.
func readProcs(dir string) ([]int, error) {
	s, err := readString(dir, "cgroup.procs")
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, f := range strings.Fields(s) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}

// removeDir removes a group directory. A group whose last process just
// exited can be busy for a moment while the kernel finishes with it.
func removeDir(dir string) error {
	var err error
	for i := 0; i < 100; i++ {
		err = removeEmptyDir(dir)
		if err == nil || errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if !errors.Is(err, unix.EBUSY) {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("remove cgroup %s: %w", dir, err)
}

// makeDir makes a group's directory, and the levels above it that are
// missing. One that exists is fine: a parent another container made, or a
// group a killed supervisor left (its processes are gone with it).
func makeDir(dir string) error { return makeDirs(dir, nil) }

// makeDirs is makeDir, calling made, if set, on each level above dir that
// it makes, before it makes the next one down.
func makeDirs(dir string, made func(string) error) error {
	err := unix.Mkdir(dir, 0o755)
	if err == unix.ENOENT {
		parent := path.Dir(dir)
		if err = makeDirs(parent, made); err == nil && made != nil {
			err = made(parent)
		}
		if err == nil {
			err = unix.Mkdir(dir, 0o755)
		}
	}
	if err != nil && err != unix.EEXIST {
		return &fs.PathError{Op: "mkdir", Path: dir, Err: err}
	}
	return nil
}

// removeEmptyDir removes a group directory with rmdir(2) alone: a group is
// always a directory, so os.Remove's unlink(2) first would only fail.
func removeEmptyDir(dir string) error {
	if err := unix.Rmdir(dir); err != nil {
		return &fs.PathError{Op: "rmdir", Path: dir, Err: err}
	}
	return nil
}

// waitFor polls cond until it is true or ten seconds have passed (a slow,
// emulated machine can take a while to freeze a group).
func waitFor(what string, cond func() (bool, error)) error {
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		ok, err := cond()
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out waiting for %s", what)
		}
	}
}
