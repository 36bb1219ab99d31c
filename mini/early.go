// An optimisation, to skip on first reading: mini run's supervisor
// started early, and told early what it needs to start on the container.
// MINI_PLAIN=1 turns it off (internal/fastpath).
//
// A supervisor's start-up, a Go program starting, is the slowest step on
// the way to a container, and needs nothing from run's flags. So mini run
// starts its supervisor as soon as it knows the command is run, before it
// has even built its commands (Main), and sends it a Prepare as soon as
// the flags are parsed: the container's ID, limits, terminal and network
// choices (supervisor.FramePrepare). The supervisor then takes the run
// lock, makes the cgroup and spawns the container's init to wait for its
// Spec (steps/07-runtime/supervisor/early.go, step 01's spawn.go), all
// while this CLI reads the image and makes the container's directory on
// the other CPU. Overlapping the halves takes three milliseconds or so off
// every run.

package main

import (
	goruntime "runtime"
	"strings"

	"mini/internal/fastpath"
	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

// commandName is the name of the command args ask for, as cobra will find
// it: the first argument that is not a flag, skipping --root's value (the
// one global flag with a value, root.go). A wrong guess costs only time: a
// supervisor started ahead and never claimed exits.
func commandName(args []string) string {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--root":
			i++
		case a == "--":
			return ""
		case len(a) > 0 && a[0] != '-':
			return a
		}
	}
	return ""
}

// supervisorAhead is mini run's supervisor, started as soon as the
// command is known to be run, before its flags are parsed (Main). A
// supervisor's start-up, a Go program starting, is the slowest step on the
// way to the container, and needs nothing from the flags; run claims it
// (claimSupervisor), and one never claimed reads EOF and exits.
var supervisorAhead *runtime.Supervisor

// startEarly starts supervisorAhead, if it can (the state root is not
// known yet; starting a supervisor needs none). From then on mini run
// mostly waits: for its supervisor, then for the container. One processor
// for Go's scheduler keeps it from starting threads to run its few
// goroutines side by side, and from spinning on the CPUs the supervisor
// and the container's init need (the supervisor runs so too).
func startEarly() {
	if !fastpath.On() {
		return
	}
	supervisorAhead, _ = cli.Runtime("").SpawnSupervisor(true)
	goruntime.GOMAXPROCS(1)
}

// claimSupervisor hands run the supervisor started ahead, or a new one,
// and tells it what to prepare (on the plain path: a new one, told
// nothing before its job).
func claimSupervisor(rt *runtime.Runtime, early *supervisor.Prepare) (*runtime.Supervisor, error) {
	if !fastpath.On() {
		return rt.SpawnSupervisor(false)
	}
	s := supervisorAhead
	supervisorAhead = nil
	if s == nil {
		var err error
		if s, err = rt.SpawnSupervisor(true); err != nil {
			return nil, err
		}
	}
	if err := s.Prepare(early); err != nil {
		return nil, err
	}
	return s, nil
}

// prepare is what the supervisor is told before the job: what it needs to
// take the run lock, make the cgroup and spawn the container's init.
func (o *runOptions) prepare(root, id string, cg *supervisor.CgroupJob) *supervisor.Prepare {
	p := &supervisor.Prepare{ID: id, Root: root, Cgroup: cg, Privileged: o.privileged, Tty: o.tty, OpenStdin: o.interactive}
	switch m := o.net.Mode; {
	case m == supervisor.NetHost || strings.HasPrefix(m, "container:"):
		p.SharedNetwork = true
	case m != supervisor.NetNone:
		p.Networked = true // for a sweep to give its address back
	}
	return p
}
