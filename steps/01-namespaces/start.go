// The parent's half of starting a container: run mini again as "init" in
// new namespaces, let the hooks act at the sync point, send the Spec, and
// learn whether the command was executed.

package namespaces

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// InitCommand is the hidden subcommand under which mini runs as the
// container's init. The program's main must call Init when it sees it.
const InitCommand = "init"

// Cloneflags are the namespaces every container gets. The cgroup namespace
// is not among them: the child unshares it after the sync point, once it
// sits in its own cgroup, so that its cgroup becomes its "/" (init.go).
const Cloneflags = unix.CLONE_NEWUTS | unix.CLONE_NEWPID | unix.CLONE_NEWNS |
	unix.CLONE_NEWIPC | unix.CLONE_NEWNET

// Hook runs in the parent at the sync point, with the host PID of the child,
// after its namespaces exist and before the user's command runs.
type Hook func(pid int) error

// Stdio is what the container's standard streams are connected to when it
// has no terminal: files the child inherits as its descriptors 0, 1 and 2.
// A nil one means /dev/null.
type Stdio struct {
	Stdin, Stdout, Stderr *os.File
}

// Options are the parent's side of a start: where the container's stdio
// goes, what runs at the sync point, and where the child is born.
type Options struct {
	Stdio Stdio
	// Hooks run at the sync point with the child's host PID.
	Hooks []Hook
	// InitBinary is the program to run as the container's init: one whose
	// main calls Init (mini-init). Empty means this program itself, run
	// again as "InitCommand".
	InitBinary string
	// Init, when set, is InitBinary already sealed (SealBinary); Start
	// uses it and leaves it open.
	Init *os.File
	// CgroupDir, when set, is an open cgroup v2 directory the child is
	// created in (clone3's CLONE_INTO_CGROUP): it never has to be moved
	// there, which spares the kernel a migration. Nil on cgroup v1, where a
	// hook moves the child instead.
	CgroupDir *os.File
}

// Process is a started container process.
type Process struct {
	cmd *exec.Cmd
	// Console is the master side of the container's terminal when the Spec
	// asked for one: what the user types is written to it, and what the
	// container prints is read from it.
	Console *os.File
}

// Pid is the host PID of the container's first process.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Signal sends sig to the container's first process.
func (p *Process) Signal(sig syscall.Signal) error { return p.cmd.Process.Signal(sig) }

// Wait waits for the container's first process to exit and returns its exit
// status the way a shell reports it (128+N when killed by signal N).
func (p *Process) Wait() (int, error) {
	err := p.cmd.Wait()
	if p.cmd.ProcessState == nil {
		return ExitRuntime, err
	}
	return ExitStatus(p.cmd.ProcessState.Sys().(syscall.WaitStatus)), nil
}

// kill ends a child that will not be started after all, and reaps it.
func (p *Process) kill() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// pipes holds both ends of the channels between parent and child. The child
// sees initR as fd 3, errW as fd 4 and, with a terminal, consoleChild as fd 5.
type pipes struct {
	initR, initW                *os.File // parent -> child: the Spec, then EOF = "go"
	errR, errW                  *os.File // child -> parent: a StartError, or EOF at exec
	consoleParent, consoleChild *os.File // child -> parent: the terminal's master fd
}

// Start starts the container described by spec and returns once its
// command has been executed (or has failed to be). A failure is a
// *StartError carrying Docker's exit status for it.
//
// In order: the init binary, sealed (clone.go); the pipes to the child;
// the child, forked into new namespaces and executed as "init", where it
// waits at the sync point; then the sync point itself (handOver): the
// seccomp filter, compiled while the child starts up, the hooks, the Spec
// and the filter, and the child's verdict.
func Start(spec *Spec, opts Options) (*Process, error) {
	exe, closeExe, err := opts.initExe()
	if err != nil {
		return nil, err
	}
	defer closeExe()
	p, err := newPipes(spec.Tty)
	if err != nil {
		return nil, err
	}
	defer p.closeAll()
	child, err := startInit(exe, p, spec.Tty, spec.Network == "", opts)
	if err != nil {
		return nil, err
	}
	if err := handOver(child, p, spec, opts.Hooks); err != nil {
		child.kill()
		return nil, err
	}
	return child, nil
}

// startInit forks and executes the init program in new namespaces (all
// of Cloneflags, less the network namespace when it is not its own); the
// child then waits at the sync point.
func startInit(exe *os.File, p *pipes, tty, ownNetwork bool, opts Options) (*Process, error) {
	cmd := initCommand(exe, p, tty, opts)
	cmd.SysProcAttr.Cloneflags = Cloneflags
	if !ownNetwork {
		cmd.SysProcAttr.Cloneflags &^= unix.CLONE_NEWNET
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start container init: %w", err)
	}
	p.closeChildEnds()
	return &Process{cmd: cmd}, nil
}

// initExe is the sealed init binary for a start: the caller's, or one
// sealed now and closed by the function returned.
func (o Options) initExe() (*os.File, func(), error) {
	if o.Init != nil {
		return o.Init, func() {}, nil
	}
	exe, err := sealedBinary(o.InitBinary)
	if err != nil {
		return nil, nil, err
	}
	return exe, func() { exe.Close() }, nil
}

// handOver runs the sync point: the Spec's seccomp filter compiled
// (seccomp.go) while the child, just started, starts up; the hooks; "go"
// (the Spec and the filter); then the child's verdict.
func handOver(proc *Process, p *pipes, spec *Spec, hooks []Hook) error {
	filter, err := seccompFor(spec)
	if err != nil {
		return startErrorf(ExitRuntime, "%v", err)
	}
	for _, hook := range hooks {
		if err := hook(proc.Pid()); err != nil {
			return err
		}
	}
	if err := json.NewEncoder(p.initW).Encode(initMessage{Spec: spec, Seccomp: filter}); err != nil {
		return fmt.Errorf("send spec to container init: %w", err)
	}
	p.initW.Close()

	if spec.Tty {
		console, err := receiveConsole(p.consoleParent)
		if err != nil {
			// The child failed before it made the terminal; its error
			// pipe says why.
			if startErr := readStartError(p.errR); startErr != nil {
				return startErr
			}
			return err
		}
		proc.Console = console
	}
	if startErr := readStartError(p.errR); startErr != nil {
		return startErr
	}
	return nil
}

// initCommand prepares the execution of the init program inside new
// namespaces. Setsid makes the container a session of its own, as Docker's
// are: a Ctrl-C typed at mini's terminal reaches the container only through
// mini (--sig-proxy), never directly.
//
// The binary is executed through the child's own descriptor 6, which it
// gets like the pipes: a parent's descriptor number could be taken over by
// the shuffling that puts the child's descriptors in place before execve.
func initCommand(exe *os.File, p *pipes, tty bool, opts Options) *exec.Cmd {
	cmd := &exec.Cmd{
		Path: fmt.Sprintf("/proc/self/fd/%d", initExeFd),
		Args: []string{"mini", InitCommand},
		// Go opens the cgroup's CPU quota files at start to size its
		// scheduler, and keeps them open: the host's files, in a
		// process bound for the container. The init needs no such
		// sizing.
		Env: []string{"GODEBUG=containermaxprocs=0"},
		SysProcAttr: &syscall.SysProcAttr{
			Setsid: true,
			// If the parent (mini's supervisor) dies, its container
			// dies with it: nobody would be left to wait for it.
			Pdeathsig: unix.SIGKILL,
		},
	}
	if opts.CgroupDir != nil {
		cmd.SysProcAttr.UseCgroupFD = true
		cmd.SysProcAttr.CgroupFD = int(opts.CgroupDir.Fd())
	}
	// Descriptors 0-2 (none is /dev/null), then 3, 4, 5 (closed without
	// -t), 6.
	stdio := opts.Stdio
	if tty {
		stdio = Stdio{Stderr: os.Stderr} // only until the terminal replaces them
	}
	if stdio.Stdin != nil {
		cmd.Stdin = stdio.Stdin
	}
	if stdio.Stdout != nil {
		cmd.Stdout = stdio.Stdout
	}
	if stdio.Stderr != nil {
		cmd.Stderr = stdio.Stderr
	}
	cmd.ExtraFiles = []*os.File{p.initR, p.errW, p.consoleChild, exe}
	return cmd
}

func newPipes(tty bool) (*pipes, error) {
	p := &pipes{}
	var err error
	if p.initR, p.initW, err = os.Pipe(); err != nil {
		return nil, fmt.Errorf("init pipe: %w", err)
	}
	if p.errR, p.errW, err = os.Pipe(); err != nil {
		p.closeAll()
		return nil, fmt.Errorf("error pipe: %w", err)
	}
	if tty {
		if p.consoleParent, p.consoleChild, err = socketPair(); err != nil {
			p.closeAll()
			return nil, fmt.Errorf("console socket: %w", err)
		}
	}
	return p, nil
}

// closeChildEnds drops the parent's copies of the child's ends, so that the
// parent sees EOF when the child closes (or execs away) its own.
func (p *pipes) closeChildEnds() {
	for _, f := range []*os.File{p.initR, p.errW, p.consoleChild} {
		if f != nil {
			f.Close()
		}
	}
}

func (p *pipes) closeAll() {
	p.closeChildEnds()
	for _, f := range []*os.File{p.initW, p.errR, p.consoleParent} {
		if f != nil {
			f.Close()
		}
	}
}

// readStartError reads the child's verdict: nil at EOF (the command was
// executed), or the StartError the child reported.
func readStartError(r io.Reader) *StartError {
	data, err := io.ReadAll(r)
	if err != nil {
		return startErrorf(ExitRuntime, "read from container init: %v", err)
	}
	if len(data) == 0 {
		return nil
	}
	var se StartError
	if err := json.Unmarshal(data, &se); err != nil {
		return startErrorf(ExitRuntime, "container init: %s", data)
	}
	return &se
}
