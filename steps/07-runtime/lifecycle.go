// A container's life after Create, each step through its supervisor:
// Start, Stop, Kill, Restart, Wait, Pause and Unpause, Remove.
//
// A running container is reached through its supervisor's socket. Stop,
// Kill and a forced Remove send it a frame (a signal, and "do not
// restart") and read until its exit report; a supervisor that does not
// answer is killed, and its container with it.

package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"syscall"
	"time"

	namespaces "mini/steps/01-namespaces"
	"mini/steps/07-runtime/supervisor"
)

// Ready is a stopped container with a supervisor started for it, not yet
// given its job: StartDetached sends it, or the caller attaches first.
type Ready struct {
	*Container
	*Supervisor
}

// Ready finds a container and, unless it runs already (nil, nil), starts
// a supervisor for it.
func (rt *Runtime) Ready(ref string) (*Ready, error) {
	c, err := rt.Find(ref)
	if err != nil {
		return nil, err
	}
	if c.Alive() {
		return nil, nil
	}
	s, err := rt.SpawnSupervisor(false)
	if err != nil {
		return nil, err
	}
	return &Ready{Container: c, Supervisor: s}, nil
}

// Start starts a stopped container in the background and returns once it
// runs; a running one is left as it is, as Docker does.
func (rt *Runtime) Start(ref string) error {
	r, err := rt.Ready(ref)
	if err != nil || r == nil {
		return err
	}
	return r.StartDetached(&r.Job)
}

// StartDetached hands the job to the supervisor and leaves it once the
// container has started. A start that failed is a *namespaces.StartError
// with Docker's status (125, 126, 127).
func (s *Supervisor) StartDetached(job *supervisor.Job) error {
	if err := s.SendJob(job); err != nil {
		return err
	}
	rep, err := startReport(s.Conn)
	s.Leave()
	if err != nil {
		return err
	}
	if rep.Error != "" {
		return &namespaces.StartError{Code: rep.ExitCode, Msg: rep.Error}
	}
	return nil
}

// RunAttached starts a created container and copies its output to stdout
// and stderr until it exits, and returns its exit status. A start that
// failed is a *namespaces.StartError with Docker's status (125, 126, 127).
func (rt *Runtime) RunAttached(c *Container, stdout, stderr io.Writer) (int, error) {
	s, err := rt.SpawnSupervisor(false)
	if err != nil {
		return 0, err
	}
	if err := s.SendJob(&c.Job); err != nil {
		return 0, err
	}
	defer s.Leave()
	for {
		kind, payload, err := supervisor.ReadFrame(s.Conn)
		if err != nil {
			return 0, fmt.Errorf("the container's supervisor went away before the container ended")
		}
		switch kind {
		case supervisor.FrameStdout:
			stdout.Write(payload)
		case supervisor.FrameStderr:
			stderr.Write(payload)
		case supervisor.FrameExit:
			var rep supervisor.Report
			if err := json.Unmarshal(payload, &rep); err != nil {
				return 0, err
			}
			if rep.Error != "" {
				return rep.ExitCode, &namespaces.StartError{Code: rep.ExitCode, Msg: rep.Error}
			}
			return rep.ExitCode, nil
		}
	}
}

// startReport reads frames until the first start's report. When the start
// failed it reads on to the exit report, which comes once the supervisor
// has cleaned up: nothing of the container is left when the caller hears.
func startReport(conn net.Conn) (*supervisor.Report, error) {
	for {
		kind, payload, err := supervisor.ReadFrame(conn)
		if err != nil {
			return nil, fmt.Errorf("the container's supervisor went away before the container started")
		}
		if kind == supervisor.FrameStarted || kind == supervisor.FrameExit {
			var rep supervisor.Report
			if err := json.Unmarshal(payload, &rep); err != nil {
				return nil, err
			}
			if kind == supervisor.FrameExit || rep.Error == "" {
				return &rep, nil
			}
		}
	}
}

// Stop sends SIGTERM (or sig), waits up to timeout for the container to
// end, then kills it. Stopping a stopped container is no error, as in
// Docker. A negative timeout waits forever.
func (rt *Runtime) Stop(ref string, timeout time.Duration) error {
	c, err := rt.Find(ref)
	if err != nil || !c.Alive() {
		return err
	}
	c.Event("stop")
	return c.stop(syscall.SIGTERM, timeout)
}

// Kill sends sig to a running container's first process, and ends its
// restart policy; with SIGKILL it returns once the container has exited.
func (rt *Runtime) Kill(ref string, sig syscall.Signal) error {
	c, err := rt.Find(ref)
	if err != nil {
		return err
	}
	if !c.Alive() {
		return NotRunning(ref)
	}
	c.Event("kill", "signal", strconv.Itoa(int(sig)))
	if sig == syscall.SIGKILL {
		// As Docker's: back once the container has exited, so that an
		// rm or start that follows finds it stopped.
		ended, err := c.sendStop(sig, killWait)
		if err == nil && !ended {
			err = fmt.Errorf("tried to kill container %s, but it did not exit within %s", ref, killWait)
		}
		return err
	}
	if err := c.signal(sig, true); err != nil {
		return err
	}
	c.thaw() // a paused container gets the signal once it runs (pause.go)
	return nil
}

// killWait is how long a kill with SIGKILL waits for the container to
// exit: a process in an uninterruptible sleep takes as long as it takes.
const killWait = 10 * time.Second

// Restart stops a running container (as Stop) and starts it again.
func (rt *Runtime) Restart(ref string, timeout time.Duration) error {
	c, err := rt.Find(ref)
	if err != nil {
		return err
	}
	if c.Alive() {
		if err := c.stop(syscall.SIGTERM, timeout); err != nil {
			return err
		}
	}
	c.Event("restart")
	return rt.Start(ref)
}

// Remove deletes a stopped container, with volumes its anonymous volumes;
// with force a running one is killed first.
func (rt *Runtime) Remove(ref string, force, volumes bool) error {
	c, err := rt.Find(ref)
	if u, ok := asUnreadable(err); ok && force {
		return rt.removeUnreadable(u)
	}
	if err != nil {
		return err
	}
	if c.Alive() {
		if !force {
			return conflict("cannot remove running container %s: stop it first, or use rm -f", ref)
		}
		c.Event("kill", "signal", "9")
		if _, err := c.sendStop(syscall.SIGKILL, -1); err != nil {
			return err
		}
	}
	return c.Remove(volumes)
}

// Prune removes every stopped container, and returns their IDs.
func (rt *Runtime) Prune() ([]string, error) {
	all, err := rt.List()
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, c := range all {
		if !c.Alive() && c.Remove(false) == nil {
			removed = append(removed, c.ID)
		}
	}
	return removed, nil
}

// RemoveOrphanedBuilds removes the stopped RUN containers of builds that
// are gone (supervisor/builder.go): what a build killed while it took a
// layer left. A running one is its supervisor's to remove.
func (rt *Runtime) RemoveOrphanedBuilds() {
	all, _ := rt.List()
	for _, c := range all {
		if c.Builder != nil && !c.Builder.Alive() && !c.Alive() {
			c.Remove(true)
		}
	}
}

// Wait waits until the container has stopped and returns its exit status.
func (rt *Runtime) Wait(ref string) (int, error) {
	c, err := rt.Find(ref)
	if err != nil {
		return 0, err
	}
	return c.Wait(), nil
}

// Wait waits until the container has stopped and returns its exit status:
// from its supervisor's exit report while it runs (right even for a --rm
// container, whose state goes with it), else from its state.
func (c *Container) Wait() int {
	if conn, err := supervisor.Dial(c.Dir); err == nil {
		defer conn.Close()
		if rep, _ := exitReport(conn); rep != nil {
			return rep.ExitCode
		} // closed without a report: read what is recorded
	}
	for c.Alive() { // a supervisor that does not answer
		time.Sleep(20 * time.Millisecond)
	}
	return c.State().ExitCode
}

// stop ends a running container as docker stop does: SIGTERM (or sig)
// first, so it can finish its work; if it has not ended within timeout,
// SIGKILL, which it cannot refuse. A negative timeout waits forever.
//
//lab:07 stop with escalation: sendStop sig and wait up to timeout; if the container is still up, sendStop SIGKILL
func (c *Container) stop(sig syscall.Signal, timeout time.Duration) error {
	ended, err := c.sendStop(sig, timeout)
	if err != nil || ended {
		return err
	}
	_, err = c.sendStop(syscall.SIGKILL, -1)
	return err
}

// sendStop sends sig to the container as a stop ("stopped by hand": no
// restart after it) and waits up to timeout (forever if negative) for the
// supervisor's exit report; ended says whether the container ended. A
// supervisor that does not answer is killed, and its container with it.
func (c *Container) sendStop(sig syscall.Signal, timeout time.Duration) (ended bool, err error) {
	conn, err := supervisor.Dial(c.Dir)
	if err != nil {
		return true, c.killSupervisor() // alive by its lock, but not answering
	}
	defer conn.Close()
	if err := supervisor.WriteFrame(conn, supervisor.FrameStop, supervisor.SignalPayload(int(sig))); err != nil {
		return true, c.killSupervisor()
	}
	c.thaw() // or a paused container would wait for the signal forever
	if timeout >= 0 {
		conn.SetReadDeadline(time.Now().Add(timeout))
	}
	_, err = exitReport(conn)
	return err == nil, nil
}

// exitReport reads (and drops) frames until the supervisor's exit report.
// A connection closed without one gives no report and no error; a read
// deadline that passes gives an error.
func exitReport(conn net.Conn) (*supervisor.Report, error) {
	for {
		kind, payload, err := supervisor.ReadFrame(conn)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return nil, err
			}
			return nil, nil // closed: the supervisor is done
		}
		if kind == supervisor.FrameExit {
			var rep supervisor.Report
			if json.Unmarshal(payload, &rep) != nil {
				return nil, nil
			}
			return &rep, nil
		}
	}
}

// signal sends sig; with stop, the container's restart policy ends.
func (c *Container) signal(sig syscall.Signal, stop bool) error {
	conn, err := supervisor.Dial(c.Dir)
	if err != nil {
		return fmt.Errorf("reach the supervisor of %s: %w", c.Name, err)
	}
	defer conn.Close()
	kind := supervisor.FrameSignal
	if stop {
		kind = supervisor.FrameStop
	}
	return supervisor.WriteFrame(conn, kind, supervisor.SignalPayload(int(sig)))
}

// killSupervisor kills a supervisor that does not answer: its container
// dies with it (the parent-death signal), and the sweep removes what they
// left.
func (c *Container) killSupervisor() error {
	rec, held, err := supervisor.Probe(c.Root, c.ID)
	if !held {
		return nil // gone meanwhile
	}
	if err != nil { // which process it is, only the lock said
		return fmt.Errorf("container %s: its supervisor does not answer, and %w", c.Name, err)
	}
	if rec.Supervisor > 0 {
		syscall.Kill(rec.Supervisor, syscall.SIGKILL)
	}
	for deadline := time.Now().Add(10 * time.Second); c.Alive(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			return fmt.Errorf("container %s: its supervisor (pid %d) will not die", c.Name, rec.Supervisor)
		}
	}
	supervisor.Sweep(c.Root)
	return nil
}

// Attach connects to a running container's supervisor: the connection
// carries the container's output and takes its input, signals and
// terminal size (supervisor/proto.go's frames), until its exit report.
// The caller logs the "attach" event (Container.Event) once it is ready
// for what the container sends, its signal handlers included: whoever
// waits for the event may signal it at once.
func (rt *Runtime) Attach(ref string) (*Container, net.Conn, error) {
	c, err := rt.Find(ref)
	if err != nil {
		return nil, nil, err
	}
	if !c.Alive() {
		return nil, nil, conflict("you cannot attach to a stopped container: start it first")
	}
	conn, err := supervisor.Dial(c.Dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reach the supervisor of %s: %w", ref, err)
	}
	return c, conn, nil
}
