// Starting a container's supervisor (steps/07-runtime/supervisor says why there is
// one) and talking to it.
//
// The CLI starts mini-shim with one end of a socket pair as its descriptor
// 3, in a session of its own, with no terminal: closing the terminal or
// killing the CLI does not reach it. The CLI sends the job, learns whether
// the container started, and then either stays (attached: the container's
// output arrives on the same connection) or closes its end and leaves
// (-d): the shim lives on as the container's parent.

package main

import (
	"fmt"
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/unix"

	"mini/internal/proc"
	"mini/steps/07-runtime/supervisor"
)

// shimProc is a supervisor the CLI started, and the CLI's connection to it.
type shimProc struct {
	proc *proc.Process
	conn net.Conn
}

// spawnSupervisor starts a supervisor, which waits for its job. Given the
// init binary's path, it seals it at once, before anything else comes.
func spawnSupervisor(init string) (*shimProc, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket pair for the supervisor: %w", err)
	}
	mine, theirs := os.NewFile(uintptr(fds[0]), "shim"), os.NewFile(uintptr(fds[1]), "shim-child")
	defer mine.Close()
	defer theirs.Close()
	path, args := shimBinary()
	attr := &proc.Attr{
		Env:   os.Environ(),
		Files: []*os.File{nil, nil, nil, theirs},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	}
	// One processor for Go's scheduler (GOMAXPROCS=1), set from the start:
	// a supervisor mostly waits, and while a container starts, the CLI and
	// the container's init need the other CPUs. With more, Go keeps a
	// thread spinning a moment on another CPU each time it looks for work.
	attr.Env = append(attr.Env, "GOMAXPROCS=1")
	if init != "" {
		attr.Env = append(attr.Env, supervisor.InitEnv+"="+init)
	}
	shim, err := proc.Start(path, args, attr)
	if err != nil {
		return nil, fmt.Errorf("start the supervisor %s: %w", path, err)
	}
	conn, err := net.FileConn(mine)
	if err != nil {
		shim.Kill()
		shim.Wait()
		return nil, err
	}
	return &shimProc{proc: shim, conn: conn}, nil
}

// supervisorAhead is mini run's supervisor, started as soon as the
// command is known to be run, before its flags are parsed (Main). A
// supervisor's start-up, a Go program starting, is the slowest step on the
// way to the container, and needs nothing from the flags; run claims it
// (claimSupervisor), and one never claimed reads EOF and exits.
var supervisorAhead *shimProc

// startSupervisorAhead starts supervisorAhead, if it can.
func startSupervisorAhead() {
	supervisorAhead, _ = spawnSupervisor(initPath())
}

// claimSupervisor hands run the supervisor started ahead, or a new one.
func claimSupervisor() (*shimProc, error) {
	if p := supervisorAhead; p != nil {
		supervisorAhead = nil
		return p, nil
	}
	return spawnSupervisor(initPath())
}

// prepare sends the early job: the supervisor starts on it at once (its
// run lock, its cgroup, the container's init), while this CLI goes on to
// make the container.
func (p *shimProc) prepare(early *supervisor.Prepare) error {
	if err := supervisor.WriteJSON(p.conn, supervisor.FramePrepare, early); err != nil {
		p.abandon()
		return fmt.Errorf("send the early job to the supervisor: %w", err)
	}
	return nil
}

// shimBinary is the supervisor program: $MINI_SHIM if set ("self" for
// mini itself), else mini-shim beside this binary, else mini itself run as
// "mini shim".
func shimBinary() (string, []string) {
	exe := selfPath()
	self := []string{"mini", supervisor.Command}
	switch env := os.Getenv("MINI_SHIM"); env {
	case "self":
		return exe, self
	case "":
	default:
		return env, []string{"mini-shim"}
	}
	if sibling := siblingProgram("mini-shim"); sibling != "" {
		return sibling, []string{"mini-shim"}
	}
	return exe, self
}

// abandon ends a supervisor that was never given a job.
func (p *shimProc) abandon() {
	p.conn.Close() // it reads EOF instead of a job, and exits
	p.proc.Wait()
}

// leave lets go of a supervisor without waiting for it: one that lives
// on without this CLI (-d, detach keys), or one that has sent its exit
// report and only has to exit (not waiting saves a process teardown per
// run). Once this mini exits, init adopts it.
func (p *shimProc) leave() {
	p.conn.Close()
}
