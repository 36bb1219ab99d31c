// The parent's half of starting a container: run mini again as "init" in
// new namespaces, let the hooks act at the sync point, send the Spec, and
// learn whether the command was executed.

package namespaces

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"syscall"

	"golang.org/x/sys/unix"

	"mini/internal/proc"
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
	proc *proc.Process
	// Console is the master side of the container's terminal when the Spec
	// asked for one: what the user types is written to it, and what the
	// container prints is read from it.
	Console *os.File
}

// Pid is the host PID of the container's first process.
func (p *Process) Pid() int { return p.proc.Pid }

// Signal sends sig to the container's first process.
func (p *Process) Signal(sig syscall.Signal) error { return p.proc.Signal(sig) }

// Wait waits for the container's first process to exit and returns its exit
// status the way a shell reports it (128+N when killed by signal N).
func (p *Process) Wait() (int, error) {
	ws, err := p.proc.Wait()
	if err != nil {
		return ExitRuntime, err
	}
	return ExitStatus(ws), nil
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
// It is the two halves of a start, one after the other: Spawn makes the
// child, which waits at the sync point, and the Child's Start sends it the
// Spec.
func Start(spec *Spec, opts Options) (*Process, error) {
	c, err := Spawn(spec.Tty, spec.Network == "", opts)
	if err != nil {
		return nil, err
	}
	return c.Start(spec, opts.Hooks)
}

// Child is a container's init that exists, in its new namespaces, and
// waits at the sync point for its Spec. Nothing in it depends on the Spec
// yet: it has only started the init program (Go's runtime and package
// initialisation) and blocked on its first read.
type Child struct {
	proc     *Process
	p        *pipes
	tty      bool
	ownNet   bool
	closeExe func()
}

// Spawn makes a container's init in new namespaces and returns while it
// waits for its Spec. All it needs to know of the container is whether it
// has a terminal (the child's stdio) and whether it has a network
// namespace of its own (a clone flag). opts.Hooks are not used here: they
// belong to the Child's Start.
//
// A supervisor can spawn the child before it knows the rest: the child's
// start-up, about a millisecond of a Go program starting, then overlaps
// whatever is still being prepared.
func Spawn(tty, ownNetwork bool, opts Options) (*Child, error) {
	exe, closeExe, err := opts.initExe()
	if err != nil {
		return nil, err
	}
	p, err := newPipes(tty)
	if err != nil {
		closeExe()
		return nil, err
	}
	prog := initProgram(exe, p, tty, opts)
	prog.attr.Sys.Cloneflags = Cloneflags
	if !ownNetwork {
		prog.attr.Sys.Cloneflags &^= unix.CLONE_NEWNET
	}
	child, err := prog.start()
	if err != nil {
		p.closeAll()
		closeExe()
		return nil, fmt.Errorf("start container init: %w", err)
	}
	p.closeChildEnds()
	return &Child{proc: child, p: p, tty: tty, ownNet: ownNetwork, closeExe: closeExe}, nil
}

// Pid is the host PID of the waiting child.
func (c *Child) Pid() int { return c.proc.Pid() }

// Fits reports whether spec can be started in this child: one spawned for
// the same terminal and network namespace choices.
func (c *Child) Fits(spec *Spec) bool {
	return spec.Tty == c.tty && (spec.Network == "") == c.ownNet
}

// Start runs the sync point (the hooks, then the Spec) and returns once
// the command has been executed (or has failed to be).
func (c *Child) Start(spec *Spec, hooks []Hook) (*Process, error) {
	defer c.release()
	if !c.Fits(spec) {
		c.proc.kill()
		return nil, fmt.Errorf("start container init: the spec does not fit the child spawned for it")
	}
	if err := handOver(c.proc, c.p, spec, hooks); err != nil {
		c.proc.kill()
		return nil, err
	}
	return c.proc, nil
}

// Abandon ends a child that will not be started after all.
func (c *Child) Abandon() {
	c.proc.kill()
	c.release()
}

func (c *Child) release() {
	c.p.closeAll()
	c.closeExe()
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

// handOver runs the sync point: hooks, "go", then the child's verdict.
func handOver(proc *Process, p *pipes, spec *Spec, hooks []Hook) error {
	for _, hook := range hooks {
		if err := hook(proc.Pid()); err != nil {
			return err
		}
	}
	if err := json.NewEncoder(p.initW).Encode(spec); err != nil {
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

// program is a child to start: the binary, its arguments and how. It is
// started with internal/proc, not os/exec (that package says why).
type program struct {
	path string
	args []string
	attr proc.Attr
}

func (pr *program) start() (*Process, error) {
	child, err := proc.Start(pr.path, pr.args, &pr.attr)
	if err != nil {
		return nil, err
	}
	return &Process{proc: child}, nil
}

// initProgram prepares the re-execution of mini as init inside new
// namespaces. Setsid makes the container a session of its own, as Docker's
// are: a Ctrl-C typed at mini's terminal reaches the container only through
// mini (--sig-proxy), never directly.
//
// The binary is executed through the child's own descriptor 6, which it
// gets like the pipes: a parent's descriptor number could be taken over by
// the shuffling that puts the child's descriptors in place before execve.
func initProgram(exe *os.File, p *pipes, tty bool, opts Options) *program {
	pr := &program{
		path: fmt.Sprintf("/proc/self/fd/%d", initExeFd),
		args: []string{"mini", InitCommand},
		attr: proc.Attr{
			Env: []string{},
			Sys: &syscall.SysProcAttr{
				Setsid: true,
				// If the parent (mini's supervisor) dies, its container
				// dies with it: nobody would be left to wait for it.
				Pdeathsig: unix.SIGKILL,
			},
		},
	}
	if opts.CgroupDir != nil {
		pr.attr.Sys.UseCgroupFD = true
		pr.attr.Sys.CgroupFD = int(opts.CgroupDir.Fd())
	}
	// Descriptors 0-2 (nil is /dev/null), then 3, 4, 5 (nil without -t), 6.
	stdin, stdout, stderr := opts.Stdio.Stdin, opts.Stdio.Stdout, opts.Stdio.Stderr
	if tty {
		stdin, stdout, stderr = nil, nil, os.Stderr // only until the terminal replaces them
	}
	pr.attr.Files = []*os.File{stdin, stdout, stderr, p.initR, p.errW, p.consoleChild, exe}
	return pr
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

// kill ends a child that will not be started after all, and reaps it.
func (p *Process) kill() {
	p.proc.Kill()
	p.proc.Wait()
}
