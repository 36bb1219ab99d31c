// Starting a container's supervisor (package supervisor says why there is
// one) and talking to it.
//
// The runtime starts the supervisor program with one end of a socket pair
// as its descriptor 3, in a session of its own, with no terminal: closing
// the terminal or killing the command that started it does not reach it.
// The runtime sends the job, learns whether the container started, and
// then either stays (attached: the container's output arrives on the same
// connection) or closes its end and leaves (detached): the supervisor
// lives on as the container's parent.

package runtime

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"

	"mini/internal/fastpath"
	"mini/steps/07-runtime/supervisor"
)

// Supervisor is a supervisor the runtime started, and the connection to it.
type Supervisor struct {
	cmd  *exec.Cmd
	Conn net.Conn
}

// SpawnSupervisor starts a supervisor, which waits for its job. With
// sealInit, it seals the container's init binary at once, before anything
// else comes (step 01's SealBinary: the first step to a container).
func (rt *Runtime) SpawnSupervisor(sealInit bool) (*Supervisor, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket pair for the supervisor: %w", err)
	}
	mine, theirs := os.NewFile(uintptr(fds[0]), "supervisor"), os.NewFile(uintptr(fds[1]), "supervisor-child")
	defer mine.Close()
	defer theirs.Close()
	cmd := &exec.Cmd{
		Path:        rt.Supervisor[0],
		Args:        rt.Supervisor[1:],
		Env:         os.Environ(),
		ExtraFiles:  []*os.File{theirs}, // its descriptor 3
		SysProcAttr: &syscall.SysProcAttr{Setsid: true},
	}
	// An optimisation: one processor for Go's scheduler (GOMAXPROCS=1),
	// set from the start: a supervisor mostly waits, and while a container
	// starts, the CLI and the container's init need the other CPUs. With
	// more, Go keeps a thread spinning a moment on another CPU each time it
	// looks for work. Part of mini run's early start (mini/early.go).
	if fastpath.On() {
		cmd.Env = append(cmd.Env, "GOMAXPROCS=1")
	}
	if sealInit && rt.Init != "" {
		cmd.Env = append(cmd.Env, supervisor.InitEnv+"="+rt.Init)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the supervisor %s: %w", rt.Supervisor[0], err)
	}
	conn, err := net.FileConn(mine)
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, err
	}
	return &Supervisor{cmd: cmd, Conn: conn}, nil
}

// Prepare sends the early job: the supervisor starts on it at once (its
// run lock, its cgroup, the container's init), while the caller goes on to
// make the container (supervisor/early.go).
func (s *Supervisor) Prepare(early *supervisor.Prepare) error {
	if err := supervisor.WriteJSON(s.Conn, supervisor.FramePrepare, early); err != nil {
		s.Abandon()
		return fmt.Errorf("send the early job to the supervisor: %w", err)
	}
	return nil
}

// SendJob gives the supervisor its container: it starts it at once.
func (s *Supervisor) SendJob(job *supervisor.Job) error {
	if err := supervisor.WriteJSON(s.Conn, supervisor.FrameJob, job); err != nil {
		s.Abandon()
		return fmt.Errorf("send the job to the supervisor: %w", err)
	}
	return nil
}

// Abandon ends a supervisor that was never given a job.
func (s *Supervisor) Abandon() {
	s.Conn.Close() // it reads EOF instead of a job, and exits
	s.cmd.Wait()
}

// Leave lets go of a supervisor without waiting for it: one that lives
// on without the caller (detached), or one that has sent its exit report
// and only has to exit (not waiting saves a process teardown per run).
// Once a mini command exits, init adopts it; a caller that lives on (the
// API daemon) reaps it in the background when it ends, or it would stay a
// zombie.
func (s *Supervisor) Leave() {
	s.Conn.Close()
	go s.cmd.Wait()
}
