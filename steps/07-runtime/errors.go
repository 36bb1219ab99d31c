// The runtime's errors say what kind of failure they are, so that a caller
// maps them without reading their words: the CLI to an exit status, an API
// server to an HTTP status (404 for ErrNotFound, 409 for ErrConflict, 400
// for ErrInvalid, 409 for ErrNotRunning, as Docker's Engine API answers).
//
//	errors.Is(err, runtime.ErrNotFound)

package runtime

import (
	"errors"
	"fmt"
)

// The kinds of failure.
var (
	ErrNotFound   = errors.New("not found")
	ErrConflict   = errors.New("conflict")
	ErrInvalid    = errors.New("invalid argument")
	ErrNotRunning = errors.New("not running")
)

// Error is a failure of one kind, with the words a person reads.
type Error struct {
	Kind error
	Msg  string
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Kind }

func errorOf(kind error, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error { return errorOf(ErrNotFound, format, args...) }
func conflict(format string, args ...any) error { return errorOf(ErrConflict, format, args...) }
func invalid(format string, args ...any) error  { return errorOf(ErrInvalid, format, args...) }

// NotRunning is Docker's words for a container that must run and does not.
func NotRunning(ref string) error { return errorOf(ErrNotRunning, "container %s is not running", ref) }
