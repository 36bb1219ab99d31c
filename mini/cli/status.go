// How a mini program ends: with the exit status Docker would give, and one
// line on stderr saying what failed.

package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	namespaces "mini/steps/01-namespaces"
)

// ErrSaid is a failure another program has already reported on stderr
// (mini-image's, run for mini): mini exits with its status and adds no
// line of its own.
var ErrSaid = errors.New("reported already")

// ExitError carries the exit status a command wants mini to end with. A nil
// err means the status says everything (a container's own exit status).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

// WithStatus wraps err so that mini exits with code.
func WithStatus(code int, err error) error { return &ExitError{Code: code, Err: err} }

// Failed is how commands other than run end: nil, or err with status 1
// (Docker's status for a command that failed; 125 is run's own).
func Failed(err error) error {
	if err != nil {
		return WithStatus(1, err)
	}
	return nil
}

// Report prints err as one line and returns the exit status for it:
// the container's own, Docker's 125/126/127 when the start failed, and 125
// for any other failure of mini itself.
func Report(err error) int {
	if err == nil {
		return 0
	}
	code := namespaces.ExitRuntime
	var ee *ExitError
	var se *namespaces.StartError
	switch {
	case errors.As(err, &ee):
		code = ee.Code
		if ee.Err == nil || errors.Is(ee.Err, ErrSaid) {
			return code
		}
		err = ee.Err
	case errors.As(err, &se):
		code = se.Code
	}
	fmt.Fprintf(os.Stderr, "mini: %v\n", err)
	return code
}

// UsageError turns a flag parsing error into one line with a pointer to the
// help, and Docker's status 125.
func UsageError(cmd *cobra.Command, err error) error {
	return WithStatus(namespaces.ExitRuntime, fmt.Errorf("%v (see '%s --help')", err, cmd.CommandPath()))
}
