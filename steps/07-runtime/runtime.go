// The runtime: one state root, the programs it starts, and the operations
// on its containers.

package runtime

import "mini/steps/07-runtime/supervisor"

// Runtime is the container engine over one state root (package store
// says what is where under it). Its methods take plain values and return
// plain values and typed errors (errors.go): the CLI and an API server
// call the same ones.
type Runtime struct {
	Root string
	// Init is the container's init program (step 01's Init in a small
	// binary of its own, mini-init); "" has the supervisor start itself.
	Init string
	// Supervisor is the supervisor program and its argv (mini-shim, or
	// mini itself as "mini shim").
	Supervisor []string
	// Records, if not nil, keeps the records List decodes, for a process
	// that lists again and again (record_cache.go).
	Records *RecordCache
}

// New is the runtime over the state root root, with the programs it
// starts.
func New(root, init string, supervisorArgv []string) *Runtime {
	return &Runtime{Root: root, Init: init, Supervisor: supervisorArgv}
}

// Sweep removes what dead containers left: a supervisor killed with
// SIGKILL cannot clean up after itself (supervisor/cleanup.go). Commands
// that change containers sweep first.
func (rt *Runtime) Sweep() { supervisor.Sweep(rt.Root) }
