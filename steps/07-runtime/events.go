// Events: what happened to containers, read from the events log that
// every mini and every supervisor appends to (supervisor/events.go).

package runtime

import (
	"errors"
	"io"
	"os"
	"time"

	"github.com/docker/docker/api/types/events"

	"mini/steps/07-runtime/store"
	"mini/steps/07-runtime/supervisor"
)

// EventsOptions choose the events.
type EventsOptions struct {
	Since time.Time // zero: from the first
	Until time.Time // zero: follow the log until emit fails
	Match func(*supervisor.Event) bool
}

// Events gives emit each event in the log, in order, and with no Until
// goes on with new ones as they are logged. It ends when emit fails, with
// emit's error.
func (rt *Runtime) Events(o EventsOptions, emit func(*supervisor.Event) error) error {
	f, err := os.OpenFile(store.Events(rt.Root), os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	r := newJSONLines(f)
	for {
		var e supervisor.Event
		err := r.next(&e)
		if err == io.EOF {
			if !o.Until.IsZero() && time.Now().After(o.Until) {
				return nil
			}
			time.Sleep(100 * time.Millisecond) // follow
			continue
		}
		if errors.Is(err, errBadLine) {
			continue // not an event: skip it
		}
		if err != nil {
			return err
		}
		if e.Time.Before(o.Since) || !o.Until.IsZero() && e.Time.After(o.Until) || o.Match != nil && !o.Match(&e) {
			continue
		}
		if err := emit(&e); err != nil {
			return err
		}
	}
}

// Message is the event in the shape of the Engine API's events stream
// (events --format, and later the API): Type, Action, Actor, local scope
// and the time twice, with the older status, id and from kept as Docker
// still sends them for containers.
func Message(e *supervisor.Event) events.Message {
	return events.Message{Status: e.Action, ID: e.ID, From: e.Attrs["image"],
		Type: events.Type(e.Type), Action: events.Action(e.Action),
		Actor: events.Actor{ID: e.ID, Attributes: e.Attrs}, Scope: "local",
		Time: e.Time.Unix(), TimeNano: e.Time.UnixNano()}
}
