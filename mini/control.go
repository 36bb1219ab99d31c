// Reaching a running container: through its supervisor's socket. stop,
// kill, restart and rm -f send it a frame (a signal, and "do not restart")
// and read until its exit report; a supervisor that does not answer is
// killed, and its container with it.

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"

	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

// errNotRunning is what a command needing a running container says.
func errNotRunning(ref string) error { return fmt.Errorf("container %s is not running", ref) }

// stopContainer sends sig and says "stopped by hand" (no restart), waits
// up to timeout for the container to end, then sends SIGKILL and waits
// for good. A negative timeout waits forever.
func stopContainer(root string, c *runtime.Container, sig syscall.Signal, timeout time.Duration) error {
	conn, err := supervisor.Dial(c.Dir)
	if err != nil {
		return killSupervisor(root, c) // alive by its lock, but not answering
	}
	defer conn.Close()
	if err := supervisor.WriteFrame(conn, supervisor.FrameStop, supervisor.SignalPayload(int(sig))); err != nil {
		return killSupervisor(root, c)
	}
	if timeout >= 0 {
		conn.SetReadDeadline(time.Now().Add(timeout))
	}
	if _, err := exitReport(conn); err == nil {
		return nil
	}
	conn.SetReadDeadline(time.Time{})
	supervisor.WriteFrame(conn, supervisor.FrameStop, supervisor.SignalPayload(int(syscall.SIGKILL)))
	if _, err := exitReport(conn); err != nil {
		return killSupervisor(root, c)
	}
	return nil
}

// waitExit waits until the container has stopped and returns its exit
// status: from its supervisor's exit report while it runs (right even for
// a --rm container, whose state goes with it), else from its state.
func waitExit(root string, c *runtime.Container) int {
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

// signalContainer sends sig without ending the container's restart policy.
func signalContainer(c *runtime.Container, sig syscall.Signal, stop bool) error {
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
// dies with it (the parent-death signal), and the next sweep removes what
// they left.
func killSupervisor(root string, c *runtime.Container) error {
	rec, held, err := supervisor.Probe(root, c.ID)
	if err != nil || !held {
		return nil // gone meanwhile
	}
	if rec.Supervisor > 0 {
		syscall.Kill(rec.Supervisor, syscall.SIGKILL)
	}
	for deadline := time.Now().Add(10 * time.Second); c.Alive(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			return fmt.Errorf("container %s: its supervisor (pid %d) will not die", c.Name, rec.Supervisor)
		}
	}
	supervisor.Sweep(root)
	return nil
}
