// Package proc starts a child program and waits for it, with the syscall
// package's fork and exec, where a Go program would usually use os/exec.
//
// Why not os/exec? The first time a Go program starts a child through
// os.StartProcess (or looks one up with os.FindProcess), it checks that the
// kernel's pidfd calls work, and part of the check is a throwaway child:
// forked, exited and reaped before the child that was asked for
// (os/pidfd_linux.go). That costs about 0.2 ms, and a container start would
// pay it twice: once in the CLI starting the supervisor, once in the
// supervisor starting the container's init.
//
// What a pidfd buys os/exec is safety against PID reuse: signalling a PID
// whose process has exited and been replaced. A parent does not need it for
// its own children. A child's PID stays its own, even after it exits (a
// zombie), until its parent reaps it with wait. So Process waits in two
// steps, as os/exec did before pidfds: it blocks until the child can be
// reaped, marks it done, and only then reaps it; Signal refuses once the
// child is marked done.
package proc

import (
	"fmt"
	"os"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// Attr is how a child is started.
type Attr struct {
	// Env is the child's whole environment.
	Env []string
	// Files are the child's descriptors 0, 1, 2, 3... A nil file among
	// the first three is /dev/null; a nil file above them is left closed.
	Files []*os.File
	// Sys holds the clone flags, the session, the parent-death signal...
	Sys *syscall.SysProcAttr
}

// Process is a started child.
type Process struct {
	Pid int

	mu   sync.Mutex
	done bool // the child has exited, and may be reaped at any moment
}

// Start starts path with args (args[0] is the program's name for itself).
func Start(path string, args []string, attr *Attr) (*Process, error) {
	fds, closeNull, err := childFds(attr.Files)
	if err != nil {
		return nil, err
	}
	defer closeNull()
	pid, err := syscall.ForkExec(path, args, &syscall.ProcAttr{Env: attr.Env, Files: fds, Sys: attr.Sys})
	if err != nil {
		return nil, &os.PathError{Op: "fork/exec", Path: path, Err: err}
	}
	return &Process{Pid: pid}, nil
}

// childFds turns files into the descriptor list ForkExec takes, opening
// /dev/null for missing standard streams; the function returned closes it.
func childFds(files []*os.File) ([]uintptr, func(), error) {
	for len(files) < 3 {
		files = append(files, nil)
	}
	var null *os.File
	fds := make([]uintptr, len(files))
	for i, f := range files {
		switch {
		case f != nil:
			fds[i] = f.Fd()
		case i < 3:
			if null == nil {
				var err error
				if null, err = os.OpenFile(os.DevNull, os.O_RDWR, 0); err != nil {
					return nil, nil, fmt.Errorf("open %s for a child's stdio: %w", os.DevNull, err)
				}
			}
			fds[i] = null.Fd()
		default:
			fds[i] = ^uintptr(0) // closed in the child
		}
	}
	return fds, func() {
		if null != nil {
			null.Close()
		}
	}, nil
}

// Signal sends sig to the child, unless it has exited.
func (p *Process) Signal(sig syscall.Signal) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return os.ErrProcessDone
	}
	return unix.Kill(p.Pid, sig)
}

// Kill ends the child at once.
func (p *Process) Kill() error { return p.Signal(unix.SIGKILL) }

// Wait waits for the child to exit, reaps it and returns its status.
func (p *Process) Wait() (syscall.WaitStatus, error) {
	// Block until the child has exited, without reaping it (WNOWAIT): its
	// PID is still its own, so a Signal racing with this cannot reach
	// another process.
	var info unix.Siginfo
	if err := ignoringEINTR(func() error {
		return unix.Waitid(unix.P_PID, p.Pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
	}); err != nil {
		return 0, fmt.Errorf("wait for process %d: %w", p.Pid, err)
	}
	p.mu.Lock()
	p.done = true
	p.mu.Unlock()
	var status syscall.WaitStatus
	if err := ignoringEINTR(func() error {
		_, err := syscall.Wait4(p.Pid, &status, 0, nil)
		return err
	}); err != nil {
		return 0, fmt.Errorf("reap process %d: %w", p.Pid, err)
	}
	return status, nil
}

func ignoringEINTR(fn func() error) error {
	for {
		if err := fn(); err != syscall.EINTR {
			return err
		}
	}
}
