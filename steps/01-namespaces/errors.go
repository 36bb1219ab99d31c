// Exit statuses, Docker's way. A container's exit status is its command's,
// except when the runtime itself is the reason it did not run:
//
//	125  mini failed (a bad flag, a missing root filesystem, a mount error)
//	126  the command was found but could not be executed
//	127  the command was not found
//	128+N the command was killed by signal N (137 for SIGKILL and OOM)

package namespaces

import (
	"errors"
	"fmt"
	"syscall"
)

// Docker's exit statuses for failures that are not the command's own.
const (
	ExitRuntime       = 125
	ExitCannotInvoke  = 126
	ExitNotFound      = 127
	ExitSignaledBase  = 128
	exitChildInternal = 1 // the child's own exit status after reporting an error
)

// StartError is a failure to start the container, with the exit status a
// Docker user would see for it.
type StartError struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
}

func (e *StartError) Error() string { return e.Msg }

// startErrorf makes a StartError with a printf-style message.
func startErrorf(code int, format string, args ...any) *StartError {
	return &StartError{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// asStartError turns any error into a StartError, keeping the code of one
// that already is, and 125 for everything else.
func asStartError(err error) *StartError {
	var se *StartError
	if errors.As(err, &se) {
		return se
	}
	return &StartError{Code: ExitRuntime, Msg: err.Error()}
}

// ExitStatus turns a wait status into the number a shell would show.
func ExitStatus(ws syscall.WaitStatus) int {
	if ws.Signaled() {
		return ExitSignaledBase + int(ws.Signal())
	}
	return ws.ExitStatus()
}
