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
	"fmt"
	"os"
	"path/filepath"
	"sync"

	namespaces "mini/steps/01-namespaces"
	runtime "mini/steps/07-runtime"
)

func main() {
	os.Exit(Main())
}

// Main runs mini with os.Args and returns its exit status. The tests call it
// too (mini/script_test.go), so it must not call os.Exit itself.
func Main() int {
	if commandName(os.Args[1:]) == "run" {
		startEarly() // an optimisation (early.go)
	}
	err := newRootCommand().Execute()
	if supervisorAhead != nil { // run ended before it needed one
		supervisorAhead.Leave()
	}
	return report(err)
}

// exitError carries the exit status a command wants mini to end with. A nil
// err means the status says everything (a container's own exit status).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

// withStatus wraps err so that mini exits with code.
func withStatus(code int, err error) error { return &exitError{code: code, err: err} }

// failed is how commands other than run end: nil, or err with status 1
// (Docker's status for a command that failed; 125 is run's own).
func failed(err error) error {
	if err != nil {
		return withStatus(1, err)
	}
	return nil
}

// report prints err as one line and returns the exit status for it:
// the container's own, Docker's 125/126/127 when the start failed, and 125
// for any other failure of mini itself.
func report(err error) int {
	if err == nil {
		return 0
	}
	code := namespaces.ExitRuntime
	var ee *exitError
	var se *namespaces.StartError
	switch {
	case errors.As(err, &ee):
		code = ee.code
		if ee.err == nil {
			return code
		}
		err = ee.err
	case errors.As(err, &se):
		code = se.Code
	}
	fmt.Fprintf(os.Stderr, "mini: %v\n", err)
	return code
}

// runtimeAt is the container engine (steps/07-runtime) over the state
// root root.
func runtimeAt(root string) *runtime.Runtime {
	return runtime.New(root, initPath(), supervisorArgv())
}

// selfPath is this program's path, read once (a readlink of
// /proc/self/exe): a run asks for it several times on its way.
var selfPath = sync.OnceValue(func() string {
	exe, _ := os.Executable()
	return exe
})

// siblingProgram is the path of the program name installed beside this
// one (mini-init, mini-shim), or "" when there is none.
func siblingProgram(name string) string {
	if selfPath() == "" {
		return ""
	}
	p := filepath.Join(filepath.Dir(selfPath()), name)
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
		return p
	}
	return ""
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
	return failed(errors.Join(errs...))
}
