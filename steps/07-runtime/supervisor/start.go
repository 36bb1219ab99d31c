// One start of the container: its cgroup, stdio and network made, its init
// started (step 01), the process waited for, its end recorded, and what the
// start made removed.

package supervisor

import (
	"errors"
	"fmt"
	"time"

	namespaces "mini/steps/01-namespaces"
)

// runOnce starts the container once and waits for it. started is false
// when the start itself failed (the report says why).
func (s *Supervisor) runOnce(first bool) (rep Report, started bool) {
	spec, opts, run, err := s.setUpStart()
	if err != nil {
		return s.failed(first, namespaces.ExitRuntime, err), false
	}
	defer run.cgroup.closeDir()
	proc, err := run.start(spec, opts)
	run.io.closeChildEnds()
	if err != nil {
		run.undo(s)
		return s.failed(first, startCode(err), err), false
	}
	s.running(proc, run)
	if first {
		s.hub.broadcast(FrameStarted, mustJSON(Report{Pid: proc.Pid()}))
	}
	drained := s.copyOutput(run.io, proc.Console)
	code, err := proc.Wait()
	if err != nil {
		code = namespaces.ExitRuntime
	}
	<-drained
	oom := false
	if run.cgroup.group != nil {
		n, err := run.cgroup.group.OOMKills()
		oom = err == nil && n > 0
	}
	s.removeCgroupAsync() // while the exit is recorded, and the rest removed
	run.net.unplug()
	releaseConnections(s.job.Dir(), s.job.ID) // network connect's
	s.refreshHosts(s.job.Network)             // the others forget this one
	s.exited(code, oom, run.io)
	return Report{ExitCode: code, OOMKilled: oom}, true
}

// startRun is what one start holds until the container's exit.
type startRun struct {
	cgroup *startCgroup
	io     *stdio
	net    *connection
	child  *namespaces.Child // spawned before the job came, or nil
}

// setUpStart makes the start's cgroup, stdio and network, and the Spec
// and Options that use them. On failure nothing is left made.
func (s *Supervisor) setUpStart() (*namespaces.Spec, namespaces.Options, *startRun, error) {
	j := s.job
	spec := j.Spec
	spec.Binds = append([]namespaces.Bind(nil), j.Spec.Binds...)
	opts := namespaces.Options{InitBinary: j.InitBinary, Init: s.init}
	run := &startRun{cgroup: &startCgroup{}}
	if j.Cgroup != nil {
		sc := s.early // made before the job came, for the first start
		s.early = nil
		if sc == nil {
			var err error
			if sc, err = newCgroup(j.Cgroup, j.ID, spec.Privileged); err != nil {
				return nil, opts, nil, err
			}
		}
		sc.place(&spec, &opts)
		run.cgroup = sc
	}
	var err error
	if run.net, err = s.connect(&spec, &opts); err == nil {
		if c := s.takeChild(&spec); c != nil {
			run.child, run.io = c.Child, c.io
		} else {
			run.io, err = newStdio(spec.Tty, j.OpenStdin)
		}
	}
	if err != nil {
		run.undo(s)
		return nil, opts, nil, err
	}
	opts.Stdio = run.io.forChild()
	return &spec, opts, run, nil
}

// start starts the container's process: in the child spawned for it
// before the job came, or from the beginning.
func (r *startRun) start(spec *namespaces.Spec, opts namespaces.Options) (*namespaces.Process, error) {
	c := r.child
	r.child = nil
	if c != nil {
		return c.Start(spec, opts.Hooks)
	}
	return namespaces.Start(spec, opts)
}

// undo removes what a start that did not happen made.
func (r *startRun) undo(s *Supervisor) {
	if r.child != nil {
		r.child.Abandon()
	}
	if r.io != nil {
		r.io.closeAll()
	}
	r.net.unplug()
	r.cgroup.closeDir()
	s.removeCgroup()
}

// running records a started process.
func (s *Supervisor) running(proc *namespaces.Process, run *startRun) {
	s.mu.Lock()
	s.proc = proc
	s.stdin = run.io.input(proc.Console, s.job.OpenStdin)
	if s.stopSignal != 0 { // a stop came while it was starting
		proc.Signal(s.stopSignal)
	}
	s.mu.Unlock()
	s.state.Status, s.state.Pid, s.state.StartedAt = StatusRunning, proc.Pid(), time.Now().UTC()
	s.state.ExitCode, s.state.OOMKilled, s.state.Error = 0, false, ""
	s.state.Network = run.net.state
	WriteState(s.job.Dir(), s.state)
	LogEvent(s.job.Root, "start", s.job.ID, s.attrs(nil))
}

// exited records how the process ended.
func (s *Supervisor) exited(code int, oom bool, io *stdio) {
	s.mu.Lock()
	s.proc, s.stdin = nil, nil
	s.mu.Unlock()
	io.closeAll()
	s.state.Status, s.state.Pid, s.state.ExitCode, s.state.OOMKilled = StatusExited, 0, code, oom
	s.state.FinishedAt, s.state.Network = time.Now().UTC(), nil
	if !s.job.AutoRemove { // --rm: about to go, nobody will read it
		WriteState(s.job.Dir(), s.state)
	}
	LogEvent(s.job.Root, "die", s.job.ID, s.attrs(map[string]string{"exitCode": fmt.Sprint(code)}))
	if oom {
		LogEvent(s.job.Root, "oom", s.job.ID, s.attrs(nil))
	}
}

// failed records a start that did not happen, and says so to the clients
// waiting for the first start.
func (s *Supervisor) failed(first bool, code int, err error) Report {
	rep := Report{ExitCode: code, Error: err.Error()}
	if s.state.Status != StatusRestarting {
		s.state.Status = StatusCreated
	} else {
		s.state.Status = StatusExited
	}
	s.state.ExitCode, s.state.Error, s.state.Pid = code, err.Error(), 0
	WriteState(s.job.Dir(), s.state)
	if first {
		s.hub.broadcast(FrameStarted, mustJSON(rep))
	}
	return rep
}

// startCode is the exit status for a failed start: the StartError's
// (126, 127), or 125.
func startCode(err error) int {
	var se *namespaces.StartError
	if errors.As(err, &se) {
		return se.Code
	}
	return namespaces.ExitRuntime
}

func (s *Supervisor) removeCgroup() {
	if s.job.Cgroup != nil {
		RemoveCgroup(s.job.Cgroup.Parent, s.job.ID)
	}
}

// removeCgroupAsync removes the group in the background: cgroup
// directories are slow to remove, and the state and the container's files
// can be dealt with meanwhile. waitCgroup waits for it.
func (s *Supervisor) removeCgroupAsync() {
	done := make(chan struct{})
	s.cgroupGone = done
	go func() {
		s.removeCgroup()
		close(done)
	}()
}

func (s *Supervisor) waitCgroup() {
	if s.cgroupGone != nil {
		<-s.cgroupGone
		s.cgroupGone = nil
	}
}
