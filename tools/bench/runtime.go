// The runtime's figures: a detached start and removal (run -d, then
// rm -f), beside the attached run --rm; mini ps with 100 containers
// stored; and the memory a supervisor (mini-shim) holds while its
// container runs.

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

func runtimeBench(dir, mini, rootfs string, n int) error {
	root := filepath.Join(dir, "rt-root")
	attached, err := timeCases([]benchCase{{"run --rm", []string{mini, "--root", root, "run", "--rm", "--net", "none", "--rootfs", rootfs, "true"}}}, n)
	if err != nil {
		return err
	}
	detached, err := timeDetachedCycle(mini, root, rootfs, n)
	if err != nil {
		return err
	}
	a, d := median(attached[0]), median(detached)
	fmt.Printf("\n%-28s %9s\n", "RUNTIME", "MEDIAN")
	fmt.Printf("%-28s %9s\n", "run --rm (attached)", ms(a))
	fmt.Printf("%-28s %9s   (%.2fx attached; target under 2x)\n", "run -d, then rm -f", ms(d), float64(d)/float64(a))
	if err := psWith100(mini, root, rootfs); err != nil {
		return err
	}
	return shimMemory(mini, root, rootfs)
}

// timeDetachedCycle times run -d (until it returns) plus rm -f.
func timeDetachedCycle(mini, root, rootfs string, n int) ([]time.Duration, error) {
	var out []time.Duration
	for i := 0; i < n+5; i++ {
		start := time.Now()
		id, err := exec.Command(mini, "--root", root, "run", "-d", "--net", "none", "--rootfs", rootfs, "sleep", "60").Output()
		if err != nil {
			return nil, fmt.Errorf("run -d: %v", err)
		}
		if o, err := exec.Command(mini, "--root", root, "rm", "-f", strings.TrimSpace(string(id))).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("rm -f: %v: %s", err, o)
		}
		if i >= 5 {
			out = append(out, time.Since(start))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// psWith100 stores 100 exited containers and times mini ps -a.
func psWith100(mini, root, rootfs string) error {
	for i := 0; i < 100; i++ {
		if o, err := exec.Command(mini, "--root", root, "run", "--net", "none", "--rootfs", rootfs, "true").CombinedOutput(); err != nil {
			return fmt.Errorf("run: %v: %s", err, o)
		}
	}
	var times []time.Duration
	for i := 0; i < 30; i++ {
		start := time.Now()
		if o, err := exec.Command(mini, "--root", root, "ps", "-a").CombinedOutput(); err != nil {
			return fmt.Errorf("ps: %v: %s", err, o)
		}
		times = append(times, time.Since(start))
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	fmt.Printf("%-28s %9s   (target under 50ms)\n", "ps -a, 100 containers", ms(median(times)))
	exec.Command(mini, "--root", root, "container", "prune", "-f").Run()
	return nil
}

// shimMemory starts a container and reads its supervisor's resident size
// (VmRSS: the pages of its binary it touched, shared with other
// supervisors, and its own) and the part that is its own (RssAnon).
func shimMemory(mini, root, rootfs string) error {
	id, err := exec.Command(mini, "--root", root, "run", "-d", "--net", "none", "--name", "rss", "--rootfs", rootfs, "sleep", "60").Output()
	if err != nil {
		return fmt.Errorf("run -d: %v", err)
	}
	defer exec.Command(mini, "--root", root, "rm", "-f", "rss").Run()
	pidOut, err := exec.Command(mini, "--root", root, "inspect", "-f", "{{.State.Pid}}", strings.TrimSpace(string(id))).Output()
	if err != nil {
		return err
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(pidOut)))
	time.Sleep(200 * time.Millisecond) // let it settle after the start
	shim := parentOf(pid)
	rss, anon := statusField(shim, "VmRSS"), statusField(shim, "RssAnon")
	fmt.Printf("%-28s %9s   (of which its own: %s; target under 10 MiB)\n", "supervisor resident size", rss, anon)
	return nil
}

func parentOf(pid int) int {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

func statusField(pid int, key string) string {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, key+":"); ok {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return "?"
}

func median(d []time.Duration) time.Duration { return d[len(d)/2] }
