// The cgroup v1 driver: one directory per controller hierarchy.
//
// On v1 each controller (or a few mounted together, like "cpu,cpuacct" on
// Ubuntu) has a tree of its own, so a container's group is really several
// directories with the same relative path: memory/mini/ID, cpu/mini/ID...
// Every operation is done in each of them. Two v1 quirks are handled here:
// a new cpuset group starts with no CPUs and no memory nodes, so nothing can
// join it until they are copied from its parent; and freezing is a state
// written to one file and read back until the kernel says it is done.

package cgroups

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// v1Controllers are the controllers mini uses on v1.
var v1Controllers = []string{"memory", "cpu", "cpuacct", "cpuset", "pids", "freezer", "devices"}

type v1Group struct {
	dirs map[string]string // controller -> its directory for this group
}

// v1Hierarchy is one mounted v1 hierarchy.
type v1Hierarchy struct {
	mountpoint string
	options    string // the controllers (and name=) it was mounted with
}

// v1Hierarchies reads the mounted v1 hierarchies from /proc/self/mountinfo,
// keyed by each controller they carry; once per process (several steps of
// one container start ask).
var v1Hierarchies = sync.OnceValues(readV1Hierarchies)

func readV1Hierarchies() (map[string]v1Hierarchy, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]v1Hierarchy{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// 35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
		fields := strings.Fields(sc.Text())
		sep := indexOf(fields, "-")
		if sep < 0 || len(fields) < sep+4 || fields[sep+1] != "cgroup" {
			continue
		}
		var opts []string
		for _, o := range strings.Split(fields[sep+3], ",") {
			if o != "rw" && o != "ro" {
				opts = append(opts, o)
			}
		}
		h := v1Hierarchy{mountpoint: fields[4], options: strings.Join(opts, ",")}
		for _, o := range opts {
			out[o] = h
		}
	}
	return out, sc.Err()
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// loadV1 finds the group's directory in each hierarchy mini uses.
func loadV1(rel string) (*v1Group, error) {
	hier, err := v1Hierarchies()
	if err != nil {
		return nil, fmt.Errorf("read cgroup v1 mounts: %w", err)
	}
	g := &v1Group{dirs: map[string]string{}}
	for _, c := range v1Controllers {
		if h, ok := hier[c]; ok {
			g.dirs[c] = filepath.Join(h.mountpoint, rel)
		}
	}
	if len(g.dirs) == 0 {
		return nil, fmt.Errorf("no cgroup v1 controller is mounted under %s", Mountpoint)
	}
	return g, nil
}

func newV1(rel string) (Group, error) {
	g, err := loadV1(rel)
	if err != nil {
		return nil, err
	}
	for _, c := range v1Controllers {
		dir, ok := g.dirs[c]
		if !ok {
			continue
		}
		mkdir := makeDir
		if c == "cpuset" {
			mkdir = makeCpusetDir
		}
		if err := mkdir(dir); err != nil {
			g.Destroy()
			return nil, fmt.Errorf("make cgroup %s: %w", dir, err)
		}
	}
	return g, nil
}

// cpusetFiles are what a v1 cpuset group needs before anything can join it.
var cpusetFiles = []string{"cpuset.cpus", "cpuset.mems"}

// makeCpusetDir makes a cpuset group that can be joined. A new v1 cpuset
// group has no CPUs and no memory nodes, and refuses every process until
// it is given some: the levels above it are made first, and a level made
// here is filled from its parent and gets cgroup.clone_children, with
// which the kernel gives each new group under it the same values. So
// mini's parent is filled when it is made, and containers' groups are
// born full.
func makeCpusetDir(dir string) error {
	err := makeDirs(dir, func(level string) error {
		if err := fillCpuset(level); err != nil {
			return err
		}
		return writeFile(level, "cgroup.clone_children", "1")
	})
	if err != nil {
		return err
	}
	return fillCpuset(dir)
}

// fillCpuset gives dir its parent's CPUs and memory nodes where it has
// none, filling an empty parent first (the hierarchy's root always has
// them).
func fillCpuset(dir string) error {
	for _, file := range cpusetFiles {
		cur, err := readString(dir, file)
		if err != nil {
			return err
		}
		if cur != "" {
			continue
		}
		parent := path.Dir(dir)
		val, err := readString(parent, file)
		if err == nil && val == "" {
			if err = fillCpuset(parent); err == nil {
				val, err = readString(parent, file)
			}
		}
		if err != nil {
			return err
		}
		if err := writeFile(dir, file, val); err != nil {
			return err
		}
	}
	return nil
}

// need returns the directory of controller c, or an error that names what
// the machine lacks.
func (g *v1Group) need(c string) (string, error) {
	dir, ok := g.dirs[c]
	if !ok {
		return "", fmt.Errorf("the %s cgroup controller is not mounted on this machine", c)
	}
	return dir, nil
}

func (g *v1Group) Apply(r *Resources) error {
	if err := g.writeLimits(r); err != nil {
		return err
	}
	if r.Devices != nil {
		return g.allowDevices(r.Devices)
	}
	return nil
}

// writeLimits writes r's limits, each into the file of its controller's
// own hierarchy: v1 mounts each controller (or a few, co-mounted) apart.
//
//lab:02 write r's limits into the v1 controllers' files (memory, cpu, cpuset, pids)
func (g *v1Group) writeLimits(r *Resources) error {
	var writes []struct{ ctrl, file, value string }
	add := func(ctrl, file, value string) {
		writes = append(writes, struct{ ctrl, file, value string }{ctrl, file, value})
	}
	if r.Memory > 0 {
		add("memory", "memory.limit_in_bytes", fmt.Sprint(r.Memory))
	}
	if r.MemorySwap != 0 && SwapAccounting() {
		add("memory", "memory.memsw.limit_in_bytes", fmt.Sprint(r.MemorySwap))
	}
	if r.CPUShares > 0 {
		add("cpu", "cpu.shares", fmt.Sprint(r.CPUShares))
	}
	if r.CPUQuota > 0 {
		add("cpu", "cpu.cfs_period_us", fmt.Sprint(r.CPUPeriod))
		add("cpu", "cpu.cfs_quota_us", fmt.Sprint(r.CPUQuota))
	}
	if r.CpusetCpus != "" {
		add("cpuset", "cpuset.cpus", r.CpusetCpus)
	}
	if r.CpusetMems != "" {
		add("cpuset", "cpuset.mems", r.CpusetMems)
	}
	if r.PidsLimit != 0 {
		add("pids", "pids.max", pidsMax(r.PidsLimit))
	}
	for _, w := range writes {
		dir, err := g.need(w.ctrl)
		if err != nil {
			return err
		}
		if err := writeFile(dir, w.file, w.value); err != nil {
			return err
		}
	}
	return nil
}

// allowDevices denies every device, then allows the few in rules.
func (g *v1Group) allowDevices(rules []DeviceRule) error {
	dir, err := g.need("devices")
	if err != nil {
		return err
	}
	if err := writeFile(dir, "devices.deny", "a"); err != nil {
		return err
	}
	allow := make([]string, len(rules))
	for i, rule := range rules {
		allow[i] = rule.String()
	}
	return writeValues(dir, "devices.allow", allow...)
}

// pidsMax is the pids.max value for a --pids-limit.
func pidsMax(limit int64) string {
	if limit < 0 {
		return "max"
	}
	return fmt.Sprint(limit)
}

// uniqueDirs lists each directory once: co-mounted controllers share one.
func (g *v1Group) uniqueDirs() []string {
	seen := map[string]bool{}
	var dirs []string
	for _, c := range v1Controllers {
		if d, ok := g.dirs[c]; ok && !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	return dirs
}

func (g *v1Group) Join(pid int) error {
	for _, dir := range g.uniqueDirs() {
		if err := writeFile(dir, "cgroup.procs", fmt.Sprint(pid)); err != nil {
			return err
		}
	}
	return nil
}

// CloneInto is v2's alone: a v1 process is in one group per hierarchy.
func (g *v1Group) CloneInto() (*os.File, error) { return nil, nil }

func (g *v1Group) SelfJoinFiles() []string {
	var files []string
	for _, dir := range g.uniqueDirs() {
		files = append(files, filepath.Join(dir, "tasks"))
	}
	return files
}

func (g *v1Group) Procs() ([]int, error) { return readProcs(g.uniqueDirs()[0]) }

func (g *v1Group) Stats() (*Stats, error) {
	s := &Stats{}
	if dir, ok := g.dirs["cpuacct"]; ok {
		ns, err := readUint(dir, "cpuacct.usage")
		if err != nil {
			return nil, err
		}
		s.CPUUsage = time.Duration(ns)
	}
	if dir, ok := g.dirs["memory"]; ok {
		var err error
		if s.MemoryUsage, err = readUint(dir, "memory.usage_in_bytes"); err != nil {
			return nil, err
		}
		if s.MemoryLimit, err = readUint(dir, "memory.limit_in_bytes"); err != nil {
			return nil, err
		}
	}
	s.MemoryLimit = min(s.MemoryLimit, machineMemory()) // "unlimited" is a huge number
	if dir, ok := g.dirs["pids"]; ok {
		s.Pids, _ = readUint(dir, "pids.current")
	}
	return s, nil
}

func (g *v1Group) OOMKills() (int, error) {
	dir, err := g.need("memory")
	if err != nil {
		return 0, err
	}
	n, err := readKeyed(dir, "memory.oom_control", "oom_kill")
	return int(n), err
}

func (g *v1Group) Freeze() error { return g.setFreezer("FROZEN") }
func (g *v1Group) Thaw() error   { return g.setFreezer("THAWED") }

func (g *v1Group) Frozen() (bool, error) {
	dir, err := g.need("freezer")
	if err != nil {
		return false, err
	}
	cur, err := readString(dir, "freezer.state")
	return cur == "FROZEN", err
}

// setFreezer writes the state and waits until the kernel reports it: a
// freeze is not instant while processes are in the middle of a syscall.
func (g *v1Group) setFreezer(state string) error {
	dir, err := g.need("freezer")
	if err != nil {
		return err
	}
	return waitFor("freezer state "+state, func() (bool, error) {
		if err := writeFile(dir, "freezer.state", state); err != nil {
			return false, err
		}
		cur, err := readString(dir, "freezer.state")
		return cur == state, err
	})
}

// Kill freezes the group so nothing can fork, kills everything in it, and
// thaws it so the kills are delivered.
func (g *v1Group) Kill() error {
	_, hasFreezer := g.dirs["freezer"]
	if hasFreezer {
		if err := g.Freeze(); err != nil {
			return err
		}
	}
	pids, err := g.Procs()
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	if hasFreezer {
		if terr := g.Thaw(); err == nil {
			err = terr
		}
	}
	if err != nil {
		return err
	}
	return waitFor("the group to empty", func() (bool, error) {
		pids, err := g.Procs()
		if errors.Is(err, os.ErrNotExist) {
			return true, nil // removed meanwhile: certainly empty
		}
		return len(pids) == 0, err
	})
}

func (g *v1Group) Destroy() error {
	var errs []error
	for _, dir := range g.uniqueDirs() {
		errs = append(errs, removeDir(dir))
	}
	return errors.Join(errs...)
}

func (g *v1Group) Paths() []string { return g.uniqueDirs() }
