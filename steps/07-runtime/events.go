// Events: what happened to containers, read from the events log that
// every mini and every supervisor appends to (supervisor/events.go).

package runtime

import (
	"errors"
	"io"
	"os"
	"strings"
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
	Stop  <-chan struct{} // closed: stop following (an API client gone)
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
			select { // follow
			case <-o.Stop:
				return nil
			case <-time.After(100 * time.Millisecond):
			}
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

// EventFilter reads events filters, KEY=VALUE: one key may be given more
// than once (any of its values matches); different keys must all match.
// A label filter, label=KEY or label=KEY=VALUE, matches the container's
// labels among the event's attributes; every label filter must match, as
// in Docker.
func EventFilter(filters []string) (func(*supervisor.Event) bool, error) {
	want := map[string][]string{}
	for _, f := range filters {
		k, v, ok := strings.Cut(f, "=")
		switch {
		case !ok:
			return nil, invalid("invalid filter %q: want KEY=VALUE", f)
		case k != "container" && k != "event" && k != "image" && k != "type" && k != "label":
			return nil, invalid("invalid filter %q: mini events filters by container, event, image, label and type", f)
		}
		want[k] = append(want[k], v)
	}
	return func(e *supervisor.Event) bool {
		for _, v := range want["label"] {
			key, value, hasValue := strings.Cut(v, "=")
			if got, has := e.Attrs[key]; !has || hasValue && got != value {
				return false
			}
		}
		for k, values := range want {
			ok := k == "label" // checked above
			for _, v := range values {
				switch k {
				case "container":
					ok = ok || e.Attrs["name"] == v || strings.HasPrefix(e.ID, v)
				case "event":
					ok = ok || e.Action == v
				case "image":
					ok = ok || e.Attrs["image"] == v
				case "type":
					ok = ok || e.Type == v
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}, nil
}
