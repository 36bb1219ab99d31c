// The scenario's cgroups as the host sees them: the directories named for
// the scenario's cgroup parent in every cgroup hierarchy mounted, whatever
// the machine's layout (v1, v2 or both) and whichever runtime made them.
// The harness finds, thaws, kills and removes groups here through the
// kernel's files alone, as an administrator would with a shell.

package grader

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cgroupRoots are the mount points of the host's cgroup hierarchies: one
// per v1 controller (or named hierarchy) and the v2 one.
func cgroupRoots() []string {
	data, _ := os.ReadFile("/proc/self/mountinfo")
	var roots []string
	for _, line := range strings.Split(string(data), "\n") {
		pre, post, ok := strings.Cut(line, " - ")
		f, g := strings.Fields(pre), strings.Fields(post)
		if ok && len(f) > 4 && len(g) > 0 && (g[0] == "cgroup" || g[0] == "cgroup2") {
			roots = append(roots, unescapeMountPath(f[4]))
		}
	}
	return roots
}

// parentDirs are the directories of the cgroup parent that exist.
func parentDirs(parent string) []string {
	var dirs []string
	for _, root := range cgroupRoots() {
		if dir := filepath.Join(root, parent); isDir(dir) {
			dirs = append(dirs, dir)
		}
	}
	return dirs
}

// groupsUnder are the groups below parent, in every hierarchy, deepest
// first (so that each can be removed before the one holding it).
func groupsUnder(parent string) []string {
	var dirs []string
	for _, top := range parentDirs(parent) {
		filepath.WalkDir(top, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() && p != top {
				dirs = append(dirs, p)
			}
			return nil
		})
	}
	sort.Slice(dirs, func(i, j int) bool { return strings.Count(dirs[i], "/") > strings.Count(dirs[j], "/") })
	return dirs
}

// groupNames are the groups below parent, named relative to it, once each
// whatever the number of hierarchies that hold them.
func groupNames(parent string) []string {
	seen := map[string]bool{}
	var names []string
	for _, top := range parentDirs(parent) {
		for _, dir := range groupsUnder(parent) {
			if rel, err := filepath.Rel(top, dir); err == nil && !strings.HasPrefix(rel, "..") && !seen[rel] {
				seen[rel] = true
				names = append(names, rel)
			}
		}
	}
	sort.Strings(names)
	return names
}

// thaw lets a frozen group's processes run again (v1's freezer, v2's
// cgroup.freeze), so that a signal can reach them.
func thaw(dir string) {
	os.WriteFile(filepath.Join(dir, "freezer.state"), []byte("THAWED"), 0)
	os.WriteFile(filepath.Join(dir, "cgroup.freeze"), []byte("0"), 0)
}

// thawAll thaws every group under parent.
func thawAll(parent string) {
	for _, dir := range groupsUnder(parent) {
		thaw(dir)
	}
}

// killGroup SIGKILLs every process in the group (all at once through
// cgroup.kill where the kernel has it) and waits, briefly, for it to empty.
func killGroup(dir string) {
	thaw(dir)
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		procs, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
		if err != nil || len(strings.TrimSpace(string(procs))) == 0 {
			return
		}
		if os.WriteFile(filepath.Join(dir, "cgroup.kill"), []byte("1"), 0) == nil {
			continue
		}
		for _, f := range strings.Fields(string(procs)) {
			if pid, err := strconv.Atoi(f); err == nil {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
}

// removeAll kills and removes every group under parent, then the parent.
// It runs when no mini of the scenario is left to do it.
func removeAll(parent string) {
	for _, dir := range groupsUnder(parent) {
		killGroup(dir)
		os.Remove(dir)
	}
	for _, dir := range parentDirs(parent) {
		os.Remove(dir)
	}
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
