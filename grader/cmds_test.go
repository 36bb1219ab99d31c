// Commands the scenarios use beyond testscript's own.
//
//	mkrootfs DIR            make a busybox root filesystem in DIR
//	exitcode N CMD ARGS...  run CMD; fail unless it exits with status N
//	                        (its stdout and stderr are then checked as usual)
//	waitfile FILE           wait up to 10s for FILE to exist
//	waitglob PATTERN        wait up to 10s for a file matching PATTERN
//	sleep DURATION          pause the scenario, such as 300ms
//	httpserve DIR           serve DIR over HTTP on loopback for the rest of
//	                        the scenario, at $HTTPURL
//	compress FMT IN OUT     write IN compressed (gzip, xz or zstd) to OUT
//	jsonkeys FILE           print the key paths of docker inspect's JSON
//	mkcerts DIR             a CA, a server and a client certificate it
//	                        signed, and a stranger's (certs_test.go)
//	freeport VAR            set $VAR to a TCP port free on 127.0.0.1
//	corpus NAME             build $STAGEDIR/corpus/NAME on corpus-base and
//	                        compare with Docker's build of it (corpus_test.go)
//	crafttar FILE KIND      write a malicious tar archive to FILE: dotdot,
//	                        abs-symlink, hardlink or whiteout; whatever it
//	                        aims at is under $WORK (see craftedEntries)
//	hostmount DIR           mount a tmpfs on the host at DIR, for the rest
//	                        of the scenario: a token no container may see
//	ptyrun TRANSCRIPT SESSION CMD...  run CMD on a terminal (pty_test.go)
//	cgroup [!] IDFILE [FILE...]  the container whose ID (or short ID) is in
//	                        IDFILE has a cgroup under the scenario's parent;
//	                        with FILEs, print the first that exists there
//	                        (a v1 name and a v2 name), as exec would
//	probe NAME FILE         build the probe program grader/probes/NAME,
//	                        static, as FILE (into a root filesystem); or
//	                        copy it from $MINI_PROBES, where it was built
//	                        before (the VM has no Go)
//	noleaks                 fail if anything under $WORK is still mounted, a
//	                        process still has its root under $WORK, or the
//	                        scenario's cgroup parent or run locks hold anything
package grader

import (
	"archive/tar"
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"mini/internal/fixture"
)

var scenarioCommands = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"mkrootfs":    cmdMkrootfs,
	"exitcode":    cmdExitcode,
	"waitfile":    cmdWaitfile,
	"waitglob":    cmdWaitglob,
	"hostmount":   cmdHostmount,
	"noleaks":     cmdNoleaks,
	"ptyrun":      cmdPtyrun,
	"cgroup":      cmdCgroup,
	"sleep":       cmdSleep,
	"crafttar":    cmdCrafttar,
	"httpserve":   cmdHttpserve,
	"probe":       cmdProbe,
	"ociarchive":  cmdOciarchive,
	"killshim":    cmdKillshim,
	"outsidehost": cmdOutsidehost,
	"fromoutside": cmdFromoutside,
	"compress":    cmdCompress,
	"corpus":      cmdCorpus,
	"jsonkeys":    cmdJsonkeys,
	"mkcerts":     cmdMkcerts,
	"freeport":    cmdFreeport,
}

func cmdMkrootfs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkrootfs DIR")
	}
	ts.Check(fixture.BusyboxRootfs(ts.MkAbs(args[0])))
}

func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N CMD [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

func cmdWaitfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile FILE")
	}
	path := ts.MkAbs(args[0])
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.Fatalf("%s did not appear within 10s", path)
}

func cmdHostmount(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: hostmount DIR")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o755))
	ts.Check(unix.Mount("tmpfs", dir, "tmpfs", 0, "size=1m"))
	ts.Defer(func() { unix.Unmount(dir, unix.MNT_DETACH) })
	ts.Setenv("HOSTMOUNTS", ts.Getenv("HOSTMOUNTS")+" "+dir)
}

func cmdNoleaks(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: noleaks")
	}
	work := ts.Getenv("WORK")
	for _, m := range hostMountsUnder(ts, work) {
		ts.Fatalf("still mounted on the host: %s", m)
	}
	// A container whose supervisor was killed dies a moment later (the kernel
	// sends it SIGKILL when its parent dies): give it that moment.
	var procs []string
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if procs = processesRootedUnder(work); len(procs) == 0 {
			break
		}
	}
	if len(procs) > 0 {
		ts.Fatalf("processes still running with their root in this scenario:\n%s", strings.Join(procs, "\n"))
	}
	// A --rm container's supervisor removes its cgroup just after its exit
	// report: give it that moment.
	var groups []string
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if groups = groupNames(ts.Getenv("MINI_CGROUP_PARENT")); len(groups) == 0 {
			break
		}
	}
	if len(groups) > 0 {
		ts.Fatalf("cgroups left under %s: %v", ts.Getenv("MINI_CGROUP_PARENT"), groups)
	}
	// A dead namespace's veths are removed by the kernel in the background.
	var links []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if links = linksOn(ts.Getenv("MINI_BRIDGE")); len(links) == 0 {
			break
		}
	}
	if len(links) > 0 {
		ts.Fatalf("veths left on the scenario's bridge: %v", links)
	}
	// The addresses handed out, as the mini itself shows them.
	for _, n := range scenarioNetworks(ts.Getenv, "bridge") {
		for id, c := range n.Containers {
			ts.Fatalf("network bridge still holds %s for container %.12s", c.IPv4Address, id)
		}
	}
}

// linksOn names the links plugged into bridge.
func linksOn(bridge string) []string {
	br, err := netlink.LinkByName(bridge)
	if err != nil {
		return nil
	}
	all, _ := netlink.LinkList()
	var names []string
	for _, l := range all {
		if l.Attrs().MasterIndex == br.Attrs().Index {
			names = append(names, l.Attrs().Name)
		}
	}
	return names
}

// hostMountsUnder lists mount points in the host's mount table below dir,
// except the scenario's own hostmount tokens.
func hostMountsUnder(ts *testscript.TestScript, dir string) []string {
	f, err := os.Open("/proc/self/mountinfo")
	ts.Check(err)
	defer f.Close()
	tokens := strings.Fields(ts.Getenv("HOSTMOUNTS"))
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 4 && strings.HasPrefix(fields[4], dir+"/") && !slices.Contains(tokens, fields[4]) {
			out = append(out, fields[4])
		}
	}
	return out
}

// processesRootedUnder lists processes whose root directory lies in dir:
// containers of this scenario that outlived it.
func processesRootedUnder(dir string) []string {
	procs, _ := filepath.Glob("/proc/[0-9]*")
	var out []string
	for _, p := range procs {
		root, err := os.Readlink(p + "/root")
		if err == nil && strings.HasPrefix(root, dir+"/") {
			cmdline, _ := os.ReadFile(p + "/cmdline")
			out = append(out, filepath.Base(p)+" "+strings.ReplaceAll(string(cmdline), "\x00", " "))
		}
	}
	return out
}

func cmdCgroup(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 || (neg && len(args) > 1) {
		ts.Fatalf("usage: cgroup [!] IDFILE [FILE...]")
	}
	dirs := containerCgroupDirs(ts, strings.TrimSpace(ts.ReadFile(args[0])))
	if neg {
		if len(dirs) > 0 {
			ts.Fatalf("the container still has cgroup directories: %v", dirs)
		}
		return
	}
	if len(dirs) == 0 {
		ts.Fatalf("the container has no cgroup under %s", ts.Getenv("MINI_CGROUP_PARENT"))
	}
	for _, file := range args[1:] {
		for _, dir := range dirs {
			if p := filepath.Join(dir, file); fileExists(p) {
				ts.Check(ts.Exec("cat", p))
				return
			}
		}
	}
	if len(args) > 1 {
		ts.Fatalf("none of %v in %v", args[1:], dirs)
	}
}

// containerCgroupDirs finds the existing directories of the group whose
// name starts with id, under the scenario's parent, in every hierarchy.
func containerCgroupDirs(ts *testscript.TestScript, id string) []string {
	if len(id) < 12 {
		ts.Fatalf("%q is not a container ID", id)
	}
	var dirs []string
	for _, parent := range parentDirs(ts.Getenv("MINI_CGROUP_PARENT")) {
		found, _ := filepath.Glob(filepath.Join(parent, id+"*"))
		dirs = append(dirs, found...)
	}
	return dirs
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func cmdSleep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sleep DURATION")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	time.Sleep(d)
}

func cmdProbe(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: probe NAME FILE")
	}
	if dir := os.Getenv("MINI_PROBES"); dir != "" {
		data, err := os.ReadFile(filepath.Join(dir, args[0]))
		ts.Check(err)
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o755))
		return
	}
	cmd := exec.Command(goCommand(), "build", "-o", ts.MkAbs(args[1]), "mini/grader/probes/"+args[0])
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		ts.Fatalf("build probe %s: %v\n%s", args[0], err, out)
	}
}

// craftedEntries are archives that try to get out of where they are
// extracted. Every target they aim at is under the scenario's $WORK, so a
// broken mini could harm only the scenario.
func craftedEntries(work, kind string) []*tar.Header {
	switch kind {
	case "dotdot":
		return []*tar.Header{{Name: "../../../../../../../escaped-dotdot", Typeflag: tar.TypeReg, Mode: 0o644}}
	case "abs-symlink":
		return []*tar.Header{
			{Name: "link", Linkname: work + "/outside", Typeflag: tar.TypeSymlink},
			{Name: "link/escaped-symlink", Typeflag: tar.TypeReg, Mode: 0o644},
		}
	case "hardlink":
		return []*tar.Header{{Name: "stolen", Linkname: work + "/secret.txt", Typeflag: tar.TypeLink}}
	case "whiteout":
		return []*tar.Header{{Name: "../.wh.secret.txt", Typeflag: tar.TypeReg, Mode: 0o644}}
	}
	return nil
}

func cmdCrafttar(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: crafttar FILE KIND")
	}
	entries := craftedEntries(ts.Getenv("WORK"), args[1])
	if entries == nil {
		ts.Fatalf("crafttar: unknown kind %q", args[1])
	}
	f, err := os.Create(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	tw := tar.NewWriter(f)
	for _, h := range entries {
		ts.Check(tw.WriteHeader(h))
	}
	ts.Check(tw.Close())
}

func cmdHttpserve(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: httpserve DIR")
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(ts.MkAbs(args[0]))))
	ts.Defer(srv.Close)
	ts.Setenv("HTTPURL", srv.URL)
}

func cmdWaitglob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitglob PATTERN")
	}
	pattern := ts.MkAbs(args[0])
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if found, _ := filepath.Glob(pattern); len(found) > 0 {
			return
		}
	}
	ts.Fatalf("nothing matched %s within 10s", pattern)
}

// cmdKillshim SIGKILLs the supervisor of a running container (found by
// name or ID in the scenario's $MINI_ROOT) and waits until it is gone.
func cmdKillshim(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: killshim CONTAINER")
	}
	inspect := scenarioCommand(ts.Getenv, "mini", "inspect", "-f", "{{.State.Pid}}", args[0])
	out, err := inspect.Output()
	ts.Check(err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil || pid <= 0 {
		ts.Fatalf("container %s has no process: inspect says %q", args[0], out)
	}
	sup := parentPid(pid)
	if sup <= 1 {
		ts.Fatalf("the process of %s has no supervisor", args[0])
	}
	ts.Check(unix.Kill(sup, unix.SIGKILL))
	for deadline := time.Now().Add(10 * time.Second); alive(sup) || alive(pid); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			ts.Fatalf("the supervisor of %s, or its process, will not die", args[0])
		}
	}
}

// parentPid is the parent of process pid, as /proc says (0 if gone).
func parentPid(pid int) int {
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "PPid:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}

// alive says whether process pid exists and is not yet a zombie whose
// threads are all gone. A multi-threaded process's leader shows as a
// zombie as soon as it exits, while its other threads may still be
// exiting and still hold the files they share (a run lock among them):
// only when /proc/PID/task lists the leader alone has every thread
// closed them.
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	end := strings.LastIndexByte(string(stat), ')')
	if end < 0 || end+2 >= len(stat) || stat[end+2] != 'Z' {
		return true
	}
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	return len(tasks) > 1
}

// scenarioEnv is the environment a program started by a harness command
// runs with: this process's, with the scenario's PATH and mini's
// variables, even when empty.
func scenarioEnv(ts *testscript.TestScript) []string { return scenarioEnvOf(ts.Getenv) }

func scenarioEnvOf(getenv func(string) string) []string {
	env := append(os.Environ(), "PATH="+getenv("PATH"))
	for _, k := range []string{"MINI_ROOT", "MINI_INIT", "MINI_SHIM", "MINI_IMAGE", "MINI_DAEMON", "MINI_CGROUP_PARENT", "MINI_BRIDGE",
		"MINI_SUBNET", "MINI_NETWORK", "MINI_PLAIN", "DOCKER_CONFIG"} {
		env = append(env, k+"="+getenv(k))
	}
	return env
}

// scenarioCommand is the command a harness command runs: name looked up on
// the scenario's PATH (where a graded mini is first), not this process's,
// in the scenario's environment and its $WORK; getenv gives the
// scenario's variables (ts.Getenv, or env.Getenv before a script runs).
func scenarioCommand(getenv func(string) string, name string, args ...string) *exec.Cmd {
	path := name
	for _, dir := range filepath.SplitList(getenv("PATH")) {
		if p := filepath.Join(dir, name); !strings.Contains(name, "/") && isExecutable(p) {
			path = p
			break
		}
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = getenv("WORK")
	cmd.Env = scenarioEnvOf(getenv)
	return cmd
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}
