// Entering a running container: how `mini exec` (docker exec, nsenter)
// puts a new process inside namespaces that already exist.
//
// A container is nothing but processes in a set of namespaces and a
// cgroup. To run one more process in it, a process joins the same ones
// with setns(2), each /proc/PID/ns/* file of the container's first process
// standing for one namespace, then executes the command. Three kernel
// rules shape how a Go program can do that:
//
//   - The PID namespace is never entered by the caller itself, only by its
//     future children: setns(CLONE_NEWPID) sets the namespace the caller's
//     next child is born in. So the parent joins it, on one OS thread
//     locked for the purpose, and starts the helper from that thread:
//     the helper is born inside, with a PID of the container's.
//   - A mount namespace can be entered only by a thread that shares its
//     filesystem information (root, working directory) with no other
//     thread: setns(CLONE_NEWNS) fails with EINVAL otherwise. Every Go
//     program is multi-threaded from its first instruction, and Go's
//     threads share that information. The way out is unshare(CLONE_FS) on
//     one locked thread: that thread gets a private copy, and may then
//     enter the mount namespace alone. The other threads stay on the host;
//     they vanish at execve, which keeps only the calling thread.
//   - The cgroup is joined before anything else, by the helper itself
//     (cgroup v1: writing 0 to each "tasks" file) or at its birth (v2:
//     CLONE_INTO_CGROUP), so that nothing it does escapes the limits.
//
// After that the helper is the same as a container's init at its end:
// look up the user in the container's /etc/passwd, make a terminal inside
// if asked, drop capabilities, close every inherited descriptor, execve.

package namespaces

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// EnterCommand is the hidden subcommand under which the helper runs; the
// program's main must call EnterInit when it sees it.
const EnterCommand = "enter"

// enterNamespaces are joined in this order: the mount namespace last, for
// once in it, the host's /proc/PID/ns files are out of reach.
var enterNamespaces = []struct {
	name string
	flag int
}{
	{"ipc", unix.CLONE_NEWIPC}, {"uts", unix.CLONE_NEWUTS}, {"net", unix.CLONE_NEWNET},
	{"cgroup", unix.CLONE_NEWCGROUP}, {"mnt", unix.CLONE_NEWNS},
}

// The helper's descriptors: the spec, the error pipe, the console socket
// and the binary as for Init (init.go), then one per namespace from
// nsFdBase.
const nsFdBase = 7

// Enter starts spec.Args inside the namespaces of the running process pid
// (the container's first process, seen from the host). Only the Spec's
// Args, Env, User, Cwd, Tty, Rows, Cols, Privileged and JoinFiles count.
func Enter(pid int, spec *Spec, opts Options) (*Process, error) {
	exe, closeExe, err := opts.initExe()
	if err != nil {
		return nil, err
	}
	defer closeExe()
	nsFiles, err := openNamespaces(pid)
	if err != nil {
		return nil, err
	}
	defer closeAllFiles(nsFiles)
	p, err := newPipes(spec.Tty)
	if err != nil {
		return nil, err
	}
	defer p.closeAll()

	helper, err := startInPIDNamespace(enterCommand(exe, p, spec, opts, nsFiles), pid)
	if err != nil {
		return nil, err
	}
	p.closeChildEnds()
	if err := handOver(helper, p, spec, nil); err != nil {
		helper.kill()
		return nil, err
	}
	return helper, nil
}

// openNamespaces opens the container's namespace files, in the order the
// helper joins them.
func openNamespaces(pid int) ([]*os.File, error) {
	var files []*os.File
	for _, ns := range enterNamespaces {
		f, err := os.Open(fmt.Sprintf("/proc/%d/ns/%s", pid, ns.name))
		if err != nil {
			closeAllFiles(files)
			return nil, fmt.Errorf("open the container's %s namespace: %w", ns.name, err)
		}
		files = append(files, f)
	}
	return files, nil
}

func closeAllFiles(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// enterCommand is initCommand's twin for a helper: no new namespaces, the
// namespace files passed on from descriptor 7.
func enterCommand(exe *os.File, p *pipes, spec *Spec, opts Options, nsFiles []*os.File) *exec.Cmd {
	cmd := initCommand(exe, p, spec.Tty, opts)
	cmd.Args = []string{"mini", EnterCommand}
	// No parent-death signal: the kernel sends it when the parent *thread*
	// ends, and the thread that starts the helper ends at once (see
	// startInPIDNamespace). An exec'd process outlives mini exec -d anyway,
	// as in Docker: the container's init adopts it.
	cmd.SysProcAttr.Pdeathsig = 0
	cmd.ExtraFiles = append(cmd.ExtraFiles, nsFiles...)
	return cmd
}

// startInPIDNamespace starts cmd from a thread that has joined the PID
// namespace of pid, so that it is born in it. The thread is then spoiled
// for the rest of this program: its goroutine ends still locked to it,
// and Go ends the thread with it.
func startInPIDNamespace(cmd *exec.Cmd, pid int) (helper *Process, err error) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread() // never unlocked: see above
		ns, openErr := os.Open(fmt.Sprintf("/proc/%d/ns/pid", pid))
		if openErr != nil {
			err = fmt.Errorf("open the container's pid namespace: %w", openErr)
			return
		}
		defer ns.Close()
		if setErr := unix.Setns(int(ns.Fd()), unix.CLONE_NEWPID); setErr != nil {
			err = fmt.Errorf("join the container's pid namespace: %w", setErr)
			return
		}
		if err = cmd.Start(); err != nil {
			err = fmt.Errorf("start the exec helper: %w", err)
			return
		}
		helper = &Process{cmd: cmd}
	}()
	<-done
	return helper, err
}

// EnterInit is the helper's side: join, then become the command. It never
// returns.
func EnterInit() { becomeCommand(enterContainer) }

func enterContainer() error {
	spec, filter, err := readSpec()
	if err != nil {
		return err
	}
	if err := joinSelf(spec.JoinFiles); err != nil {
		return err
	}
	if err := joinNamespaces(); err != nil {
		return err
	}
	return execAs(spec, filter, false)
}

// joinNamespaces joins each namespace passed on from descriptor 7,
// unsharing this thread's filesystem information first so that the
// kernel lets it into the mount namespace (see the top of this file).
func joinNamespaces() error {
	if err := unix.Unshare(unix.CLONE_FS); err != nil {
		return fmt.Errorf("unshare the filesystem information: %w", err)
	}
	for i, ns := range enterNamespaces {
		fd := nsFdBase + i
		if err := unix.Setns(fd, ns.flag); err != nil {
			return fmt.Errorf("join the container's %s namespace: %w", ns.name, err)
		}
		unix.Close(fd)
	}
	// setns(CLONE_NEWNS) leaves the thread at the new namespace's root.
	return syscall.Chdir("/")
}
