// The cgroup v2 driver: one directory in one tree.
//
// On v2 a controller is active in a group only if every ancestor has
// enabled it for its children by writing "+memory" (and so on) to its
// cgroup.subtree_control. So making a group is: walk down from the root,
// enable the controllers at each level, then make the leaf. v2 also has
// no-internal-processes: a group with processes cannot enable controllers
// for children, which is why containers' groups sit under a parent that
// holds no process of its own.

package cgroups

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// v2Controllers are the controllers mini enables for containers' groups.
var v2Controllers = []string{"cpuset", "cpu", "io", "memory", "pids"}

type v2Group struct {
	dir string
}

func loadV2(rel string) (*v2Group, error) {
	return &v2Group{dir: filepath.Join(Mountpoint, rel)}, nil
}

func newV2(rel string) (Group, error) {
	g, _ := loadV2(rel)
	made, err := enableControllers(filepath.Dir(rel))
	if err != nil {
		removeMade(made)
		return nil, err
	}
	if err := os.Mkdir(g.dir, 0o755); err != nil {
		removeMade(made)
		return nil, fmt.Errorf("make cgroup %s: %w", g.dir, err)
	}
	return g, nil
}

// enableControllers makes each level of parent that is missing and enables
// mini's controllers in the subtree_control of the root and of every level.
// It returns the directories it made, deepest last.
func enableControllers(parent string) (made []string, err error) {
	dir := Mountpoint
	levels := strings.Split(parent, "/")
	for i := 0; ; i++ {
		if err := enableIn(dir); err != nil {
			return made, err
		}
		if i == len(levels) {
			return made, nil
		}
		dir = filepath.Join(dir, levels[i])
		if err := os.Mkdir(dir, 0o755); err == nil {
			made = append(made, dir)
		} else if !errors.Is(err, os.ErrExist) {
			return made, fmt.Errorf("make cgroup %s: %w", dir, err)
		}
	}
}

// enableIn enables for dir's children each of mini's controllers that dir
// itself has.
func enableIn(dir string) error {
	have, err := readString(dir, "cgroup.controllers")
	if err != nil {
		return fmt.Errorf("read %s/cgroup.controllers: %w", dir, err)
	}
	enabled, _ := readString(dir, "cgroup.subtree_control")
	var add []string
	for _, c := range v2Controllers {
		if slices.Contains(strings.Fields(have), c) && !slices.Contains(strings.Fields(enabled), c) {
			add = append(add, "+"+c)
		}
	}
	if len(add) == 0 {
		return nil
	}
	return writeFile(dir, "cgroup.subtree_control", strings.Join(add, " "))
}

// removeMade removes directories made by a failed New, deepest first.
func removeMade(made []string) {
	for i := len(made) - 1; i >= 0; i-- {
		removeEmptyDir(made[i])
	}
}

func (g *v2Group) Apply(r *Resources) error {
	if r.Devices != nil {
		if err := attachDeviceFilter(g.dir, r.Devices); err != nil {
			return err
		}
	}
	return g.writeLimits(r)
}

// writeLimits writes r's limits into the group's one directory: v2 has one
// hierarchy, and a file there for each limit whose controller is enabled.
//
//lab:02 write r's limits into the v2 group's files (memory.max, cpu.max, cpu.weight, cpuset, pids.max)
func (g *v2Group) writeLimits(r *Resources) error {
	var writes [][2]string
	if r.Memory > 0 {
		writes = append(writes, [2]string{"memory.max", fmt.Sprint(r.Memory)})
	}
	if r.MemorySwap != 0 && g.has("memory.swap.max") {
		writes = append(writes, [2]string{"memory.swap.max", swapMax(r)})
	}
	if r.CPUShares > 0 {
		writes = append(writes, [2]string{"cpu.weight", fmt.Sprint(SharesToWeight(r.CPUShares))})
	}
	if r.CPUQuota > 0 {
		writes = append(writes, [2]string{"cpu.max", fmt.Sprintf("%d %d", r.CPUQuota, r.CPUPeriod)})
	}
	if r.CpusetCpus != "" {
		writes = append(writes, [2]string{"cpuset.cpus", r.CpusetCpus})
	}
	if r.CpusetMems != "" {
		writes = append(writes, [2]string{"cpuset.mems", r.CpusetMems})
	}
	if r.PidsLimit != 0 {
		writes = append(writes, [2]string{"pids.max", pidsMax(r.PidsLimit)})
	}
	for _, w := range writes {
		if !g.has(w[0]) {
			return fmt.Errorf("cannot set %s: the controller for it is not enabled in %s", w[0], g.dir)
		}
		if err := writeFile(g.dir, w[0], w[1]); err != nil {
			return err
		}
	}
	return nil
}

// swapMax is memory.swap.max: v2 limits swap alone, where Docker's
// --memory-swap (and v1) count memory plus swap.
func swapMax(r *Resources) string {
	if r.MemorySwap < 0 {
		return "max"
	}
	return fmt.Sprint(max(r.MemorySwap-r.Memory, 0))
}

func (g *v2Group) has(file string) bool {
	_, err := os.Stat(filepath.Join(g.dir, file))
	return err == nil
}

func (g *v2Group) Join(pid int) error {
	return writeFile(g.dir, "cgroup.procs", fmt.Sprint(pid))
}

func (g *v2Group) CloneInto() (*os.File, error) {
	f, err := os.OpenFile(g.dir, os.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		return nil, fmt.Errorf("open cgroup %s: %w", g.dir, err)
	}
	return f, nil
}

// SelfJoinFiles is v1's: on v2 the process is born in its group instead.
func (g *v2Group) SelfJoinFiles() []string { return nil }

func (g *v2Group) Procs() ([]int, error) { return readProcs(g.dir) }

func (g *v2Group) Stats() (*Stats, error) {
	s := &Stats{}
	usec, err := readKeyed(g.dir, "cpu.stat", "usage_usec")
	if err != nil {
		return nil, err
	}
	s.CPUUsage = time.Duration(usec) * time.Microsecond
	if g.has("memory.current") {
		s.MemoryUsage, _ = readUint(g.dir, "memory.current")
		s.MemoryLimit, _ = readUint(g.dir, "memory.max") // "max" reads as 0
	}
	if s.MemoryLimit == 0 {
		s.MemoryLimit = machineMemory()
	}
	if g.has("pids.current") {
		s.Pids, _ = readUint(g.dir, "pids.current")
	}
	return s, nil
}

func (g *v2Group) OOMKills() (int, error) {
	n, err := readKeyed(g.dir, "memory.events", "oom_kill")
	return int(n), err
}

func (g *v2Group) Freeze() error { return g.setFrozen("1") }
func (g *v2Group) Thaw() error   { return g.setFrozen("0") }

func (g *v2Group) Frozen() (bool, error) {
	n, err := readKeyed(g.dir, "cgroup.events", "frozen")
	return n == 1, err
}

// setFrozen writes cgroup.freeze and waits for cgroup.events to confirm.
func (g *v2Group) setFrozen(v string) error {
	if err := writeFile(g.dir, "cgroup.freeze", v); err != nil {
		return err
	}
	return waitFor("cgroup.freeze="+v, func() (bool, error) {
		n, err := readKeyed(g.dir, "cgroup.events", "frozen")
		return fmt.Sprint(n) == v, err
	})
}

// Kill uses cgroup.kill (Linux 5.14), which kills every process in the
// group at once, forks included; older kernels get v1's freeze-kill-thaw.
func (g *v2Group) Kill() error {
	if g.has("cgroup.kill") {
		if err := writeFile(g.dir, "cgroup.kill", "1"); err != nil {
			return err
		}
	} else {
		if err := g.Freeze(); err != nil {
			return err
		}
		pids, _ := g.Procs()
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		if err := g.Thaw(); err != nil {
			return err
		}
	}
	return waitFor("the group to empty", func() (bool, error) {
		n, err := readKeyed(g.dir, "cgroup.events", "populated")
		if errors.Is(err, os.ErrNotExist) {
			return true, nil // removed meanwhile: certainly empty
		}
		return n == 0, err
	})
}

func (g *v2Group) Destroy() error { return removeDir(g.dir) }

func (g *v2Group) Paths() []string { return []string{g.dir} }
