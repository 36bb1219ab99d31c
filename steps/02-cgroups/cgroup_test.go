package cgroups

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// newTestGroup makes a group under a parent of the test's own, with a sleep
// process in it, and removes both at the end.
func newTestGroup(t *testing.T, argv ...string) (Group, *exec.Cmd) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("cgroups need root: run the tests with sudo")
	}
	parent := fmt.Sprintf("mini-unit-%d/%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))
	g, err := New(parent, "c1")
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if len(argv) == 0 {
		argv = []string{"sleep", "60"}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if err := g.Destroy(); err != nil {
			t.Errorf("Destroy: %v", err)
		}
		RemoveParent(parent)
		for _, dir := range g.Paths() {
			if _, err := os.Stat(dir); err == nil {
				t.Errorf("group %s still exists", dir)
			}
		}
	})
	if err := g.Join(cmd.Process.Pid); err != nil {
		t.Fatalf("Join: %v", err)
	}
	return g, cmd
}

func TestJoinPutsTheProcessInTheGroup(t *testing.T) {
	g, cmd := newTestGroup(t)
	pids, err := g.Procs()
	if err != nil || len(pids) != 1 || pids[0] != cmd.Process.Pid {
		t.Fatalf("Procs = %v, %v; want [%d]", pids, err, cmd.Process.Pid)
	}
	self, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", cmd.Process.Pid))
	if !strings.Contains(string(self), "/c1") {
		t.Fatalf("/proc/PID/cgroup does not name the group:\n%s", self)
	}
}

func TestApplyWritesTheLimits(t *testing.T) {
	g, _ := newTestGroup(t)
	r := &Resources{Memory: 64 << 20, CPUShares: 512, CPUQuota: 50000, CPUPeriod: 100000, CpusetCpus: "0", PidsLimit: 10}
	if err := g.Apply(r); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	want := map[string]string{
		"memory.limit_in_bytes": "67108864", "memory.max": "67108864",
		"cpu.shares": "512", "cpu.weight": "20",
		"cpu.cfs_quota_us": "50000", "cpu.max": "50000 100000",
		"cpuset.cpus": "0", "pids.max": "10",
	}
	found := 0
	for _, dir := range g.Paths() {
		for file, v := range want {
			got, err := readString(dir, file)
			if err != nil {
				continue // the other version's file
			}
			found++
			if got != v {
				t.Errorf("%s/%s = %q, want %q", dir, file, got, v)
			}
		}
	}
	if found != 5 {
		t.Errorf("found %d of the 5 limit files", found)
	}
}

// A busy loop uses CPU time while it runs; frozen, it uses none.
func TestFreezeStopsTheProcess(t *testing.T) {
	g, cmd := newTestGroup(t, "sh", "-c", "while :; do :; done")
	pid := cmd.Process.Pid
	if waitTicks(pid, cpuTicks(t, pid), time.Second) == 0 {
		t.Fatal("the busy loop used no CPU before the freeze")
	}
	if err := g.Freeze(); err != nil {
		t.Fatalf("Freeze: %v", err)
	}
	if n := waitTicks(pid, cpuTicks(t, pid), 300*time.Millisecond); n != 0 {
		t.Fatalf("a frozen process used %d ticks of CPU", n)
	}
	if err := g.Thaw(); err != nil {
		t.Fatalf("Thaw: %v", err)
	}
	if waitTicks(pid, cpuTicks(t, pid), time.Second) == 0 {
		t.Fatal("the process did not run again after Thaw")
	}
}

// waitTicks waits up to d for pid's CPU time to grow past from, and returns
// by how much it grew.
func waitTicks(pid, from int, d time.Duration) int {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		if now := readTicks(pid); now > from {
			return now - from
		}
	}
	return 0
}

// cpuTicks reads a process's utime+stime from /proc/PID/stat.
func cpuTicks(t *testing.T, pid int) int {
	n := readTicks(pid)
	if n < 0 {
		t.Fatalf("read /proc/%d/stat", pid)
	}
	return n
}

func readTicks(pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	f := strings.Fields(string(data)[strings.LastIndex(string(data), ")")+2:])
	u, _ := strconv.Atoi(f[11])
	s, _ := strconv.Atoi(f[12])
	return u + s
}

func TestKillEmptiesTheGroup(t *testing.T) {
	g, cmd := newTestGroup(t)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if err := g.Kill(); err != nil {
		t.Fatalf("Kill: %v", err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the process survived Kill")
	}
	if pids, _ := g.Procs(); len(pids) != 0 {
		t.Fatalf("group still has %v", pids)
	}
}

func TestStatsCountThePids(t *testing.T) {
	g, _ := newTestGroup(t)
	s, err := g.Stats()
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	if s.Pids != 1 || s.MemoryLimit == 0 {
		t.Fatalf("Stats = %+v, want 1 pid and a memory limit", s)
	}
}

func TestNewRefusesABadParent(t *testing.T) {
	for _, p := range []string{"", "/", "../escape", "a/../../b"} {
		if _, err := groupPath(p, "x"); err == nil {
			t.Errorf("parent %q accepted", p)
		}
	}
	if rel, err := groupPath("/mini/", "abc"); err != nil || rel != "mini/abc" {
		t.Errorf("groupPath(/mini/) = %q, %v", rel, err)
	}
}

// On v2 a process can be created right inside its group, never moved.
func TestCloneIntoBirthsTheProcessInTheGroup(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("cgroups need root: run the tests with sudo")
	}
	parent := fmt.Sprintf("mini-unit-%d/clone-into", os.Getpid())
	g, err := New(parent, "c1")
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer RemoveParent(parent)
	defer g.Destroy()
	dir, err := g.CloneInto()
	if err != nil {
		t.Fatalf("CloneInto: %v", err)
	}
	if dir == nil {
		t.Skip("cgroup v1 has no CLONE_INTO_CGROUP: processes are moved with Join")
	}
	defer dir.Close()
	cmd := exec.Command("sleep", "60")
	cmd.SysProcAttr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: int(dir.Fd())}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start in cgroup: %v", err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	pids, _ := g.Procs()
	if len(pids) != 1 || pids[0] != cmd.Process.Pid {
		t.Fatalf("Procs = %v, want [%d]", pids, cmd.Process.Pid)
	}
}

// With Docker's device rules, a process in the group can use /dev/null but
// not a device outside the list.
func TestDeviceRulesRefuseOtherDevices(t *testing.T) {
	node := filepath.Join(t.TempDir(), "unused")
	if err := syscall.Mknod(node, syscall.S_IFCHR|0o666, 240<<8); err != nil {
		t.Skipf("mknod: %v", err)
	}
	g, cmd, stdin := newWaitingGroup(t, "cat "+node+"; echo open-done; cat /dev/null && echo null-ok")
	if err := g.Apply(&Resources{Devices: DefaultDeviceRules}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	stdin.Close() // let the shell go on
	cmd.Wait()
	got := cmd.Stdout.(*strings.Builder).String() + cmd.Stderr.(*strings.Builder).String()
	if !strings.Contains(got, "Operation not permitted") || !strings.Contains(got, "null-ok") {
		t.Fatalf("want the unused device refused and /dev/null allowed, got:\n%s", got)
	}
}

// newWaitingGroup starts `sh -c script` in a new group (born there on v2,
// joined on v1), blocked until its stdin is closed.
func newWaitingGroup(t *testing.T, script string) (Group, *exec.Cmd, io.Closer) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("cgroups need root: run the tests with sudo")
	}
	parent := fmt.Sprintf("mini-unit-%d/%s", os.Getpid(), t.Name())
	g, err := New(parent, "c1")
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { g.Kill(); g.Destroy(); RemoveParent(parent) })
	cmd := exec.Command("sh", "-c", "read x; "+script)
	cmd.Stdout, cmd.Stderr = &strings.Builder{}, &strings.Builder{}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := g.CloneInto()
	if err != nil {
		t.Fatal(err)
	}
	if dir != nil {
		defer dir.Close()
		cmd.SysProcAttr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: int(dir.Fd())}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if dir == nil {
		if err := g.Join(cmd.Process.Pid); err != nil {
			t.Fatal(err)
		}
	}
	return g, cmd, stdin
}

// A v1 cpuset group refuses processes until it has CPUs and memory nodes:
// one made under parents that exist but were left empty by someone else
// must be filled, parents first, before anything can join it.
func TestCpusetGroupUnderEmptyParentsCanBeJoined(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("cgroups need root: run the tests with sudo")
	}
	if layout, err := DetectLayout(); err != nil || layout == Unified {
		t.Skip("cpuset groups start empty on cgroup v1 only")
	}
	hier, err := v1Hierarchies()
	if err != nil || hier["cpuset"].mountpoint == "" {
		t.Skip("no v1 cpuset hierarchy")
	}
	top := fmt.Sprintf("mini-unit-%d", os.Getpid())
	parent := top + "/empty"
	t.Cleanup(func() { RemoveParent(parent) })
	for _, rel := range []string{top, parent} {
		if err := os.Mkdir(filepath.Join(hier["cpuset"].mountpoint, rel), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if cpus, _ := readString(filepath.Join(hier["cpuset"].mountpoint, parent), "cpuset.cpus"); cpus != "" {
		t.Skipf("this machine's cpuset groups are born with CPUs (%s)", cpus)
	}
	g, err := New(parent, "c1")
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer g.Destroy()
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	if err := g.Join(cmd.Process.Pid); err != nil {
		t.Fatalf("Join: %v", err)
	}
}
