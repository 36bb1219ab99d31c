// Command fdpeek is the attacker of 07-runtime/exec-helper: run as root in
// a container, it watches for mini exec's helper (a process whose command
// line is "mini enter") and tries, as fast as it can, to read the helper's
// descriptors through /proc/PID/fd until the helper has become the exec'd
// command. Each descriptor it could read that leads out of the container
// (a path under /sys/fs/cgroup, which the container's own view lacks, or
// any path it cannot stat from inside) is printed once per helper as
// "leak PID PATH".
// It runs until it is killed.
//
//	fdpeek
package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	seen := map[string]bool{}
	for {
		for _, pid := range helpers() {
			peek(pid, seen)
		}
	}
}

// helpers lists the processes whose command line is mini's exec helper's.
func helpers() []string {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		if isHelper(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

func isHelper(pid string) bool {
	cmdline, err := os.ReadFile("/proc/" + pid + "/cmdline")
	return err == nil && bytes.HasPrefix(cmdline, []byte("mini\x00enter\x00"))
}

// peek reads the helper's descriptors again and again while it is still
// the helper.
func peek(pid string, seen map[string]bool) {
	for isHelper(pid) {
		fds, err := os.ReadDir("/proc/" + pid + "/fd")
		if err != nil {
			continue
		}
		for _, fd := range fds {
			target, err := os.Readlink("/proc/" + pid + "/fd/" + fd.Name())
			if err != nil || seen[pid+target] || !outside(target) {
				continue
			}
			seen[pid+target] = true
			fmt.Println("leak", pid, target)
		}
	}
}

// outside says whether a descriptor's path is not the container's: the
// host's cgroup files, or any path that does not exist in here.
func outside(target string) bool {
	if !strings.HasPrefix(target, "/") {
		return false // pipe:[...], anon_inode:..., socket:[...]
	}
	if strings.HasPrefix(target, "/sys/fs/cgroup/") {
		return true
	}
	_, err := os.Lstat(target)
	return err != nil
}
