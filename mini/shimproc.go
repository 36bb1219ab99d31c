// The programs the runtime starts for mini (the container's init and its
// supervisor), and mini run's supervisor started ahead.

package main

import (
	"os"
	"sync"

	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

// supervisorAhead is mini run's supervisor, started as soon as the
// command is known to be run, before its flags are parsed (Main). A
// supervisor's start-up, a Go program starting, is the slowest step on the
// way to the container, and needs nothing from the flags; run claims it
// (claimSupervisor), and one never claimed reads EOF and exits.
var supervisorAhead *runtime.Supervisor

// startSupervisorAhead starts supervisorAhead, if it can. The state root
// is not known yet; starting a supervisor needs none.
func startSupervisorAhead() {
	supervisorAhead, _ = runtimeAt("").SpawnSupervisor(true)
}

// claimSupervisor hands run the supervisor started ahead, or a new one.
func claimSupervisor(rt *runtime.Runtime) (*runtime.Supervisor, error) {
	if s := supervisorAhead; s != nil {
		supervisorAhead = nil
		return s, nil
	}
	return rt.SpawnSupervisor(true)
}

// supervisorArgv is the supervisor program and its argv: $MINI_SHIM if
// set ("self" for mini itself), else mini-shim beside this binary, else
// mini itself run as "mini shim". It is looked up once.
var supervisorArgv = sync.OnceValue(func() []string {
	self := []string{selfPath(), "mini", supervisor.Command}
	switch env := os.Getenv("MINI_SHIM"); env {
	case "self":
		return self
	case "":
	default:
		return []string{env, "mini-shim"}
	}
	if sibling := siblingProgram("mini-shim"); sibling != "" {
		return []string{sibling, "mini-shim"}
	}
	return self
})
