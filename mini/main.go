// Command mini is a small Docker-style container runtime, written to be
// read. Each mechanism lives in its own package under steps/, in the order a
// container is built; this package turns command-line flags into calls to
// them.
//
// mini is one program; `make build` installs beside it mini-init, the
// small program a container's first process starts as, and mini-shim, each
// container's supervisor. Without them mini acts as both itself.
//
// See README.md for a map of the code and labs/ for the workbook.
package main

import (
	"errors"
	"os"

	"mini/mini/cli"
)

func main() {
	os.Exit(run())
}

// run runs mini with os.Args and returns its exit status, once the early
// start (if any) is settled.
func run() int {
	if cli.RemoteHost(os.Args[1:]) != "" { // a client of a daemon (daemon.go)
		return cli.Report(daemonTool.exec())
	}
	if commandName(os.Args[1:]) == "run" {
		startEarly() // an optimisation (early.go)
	}
	err := newRootCommand().Execute()
	if supervisorAhead != nil { // run ended before it needed one
		supervisorAhead.Leave()
	}
	return cli.Report(err)
}

// eachArgQuiet applies op to every argument, going on past failures; any
// failure makes the exit status 1. (eachArg also prints each argument.)
func eachArgQuiet(args []string, op func(string) error) error {
	var errs []error
	for _, a := range args {
		if err := op(a); err != nil {
			errs = append(errs, err)
		}
	}
	return cli.Failed(errors.Join(errs...))
}
