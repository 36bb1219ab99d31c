// The programs the runtime starts for mini: the container's init and its
// supervisor.

package main

import (
	"os"
	"sync"

	"mini/steps/07-runtime/supervisor"
)

// supervisorArgv is the supervisor program and its argv: $MINI_SHIM if
// set ("self" for mini itself), else mini-shim beside this binary, else
// mini itself run as "mini shim" (its hidden subcommand). It is looked up
// once.
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
