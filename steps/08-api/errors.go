// Errors as the Engine API sends them: {"message": "..."} and a status
// that says what kind of failure it is. The runtime's errors carry their
// kind (steps/07-runtime/errors.go), so no words are read here.

package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	images "mini/steps/04-images"
	runtime "mini/steps/07-runtime"
)

// statusError is a failure with the HTTP status to answer it with.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &statusError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func notFoundError(format string, args ...any) error {
	return &statusError{http.StatusNotFound, fmt.Sprintf(format, args...)}
}

// statusOf is the status for err: its own, or its runtime kind's.
func statusOf(err error) int {
	var se *statusError
	switch {
	case errors.As(err, &se):
		return se.status
	case errors.Is(err, runtime.ErrNotFound), errors.Is(err, images.ErrUnknown):
		return http.StatusNotFound
	case errors.Is(err, runtime.ErrConflict), errors.Is(err, runtime.ErrNotRunning):
		return http.StatusConflict
	case errors.Is(err, runtime.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, images.ErrUnauthorized):
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// writeError answers with err, as Docker's daemon does.
func writeError(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(statusOf(err))
	json.NewEncoder(w).Encode(map[string]string{"message": err.Error()})
}

// writeJSON answers with v, and status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	jsonEncode(w, v)
}

// handle adapts a handler that returns an error: a nil error means it has
// answered; any other is answered here.
func handle(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			writeError(w, err)
		}
	}
}

// maxJSONBody bounds a request's JSON: the largest create request is a
// few kilobytes, and a client must not make the daemon hold gigabytes.
const maxJSONBody = 4 << 20

// decodeJSON reads the request's body, JSON, into v: what is wrong with
// it is a bad request, said with what the body was for. An empty body is
// no error when emptyOK. w, if not nil, is told to close the connection
// after a body too large.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any, what string, emptyOK bool) error {
	err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody)).Decode(v)
	var tooBig *http.MaxBytesError
	switch {
	case err == nil, emptyOK && errors.Is(err, io.EOF):
		return nil
	case errors.As(err, &tooBig):
		return badRequest("invalid %s: the body is larger than %d bytes", what, maxJSONBody)
	}
	return badRequest("invalid %s: %v", what, err)
}

// jsonEncode writes v as one JSON line. <, > and & stay as they are, as
// in dockerd's answers (<missing>, <none>).
func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
