// Events: a record of what happened to containers, for mini events.
//
// Docker's daemon keeps its events in memory; mini has no daemon, so every
// mini and every supervisor appends one JSON line per event to
// $root/events.log. Lines are short and written with O_APPEND in a single
// write, so concurrent writers never mix their lines.

package supervisor

import (
	"encoding/json"
	"os"
	"time"

	"mini/steps/07-runtime/store"
)

// Event is one line of events.log.
type Event struct {
	Time   time.Time         `json:"time"`
	Type   string            `json:"type"`   // "container"
	Action string            `json:"action"` // create, start, die, stop, kill, pause, ...
	ID     string            `json:"id"`
	Attrs  map[string]string `json:"attributes,omitempty"`
}

// Attributes are the attributes of the container's events, as Docker's:
// its labels, its name and image, and extra (exitCode, signal...).
func (j *Job) Attributes(extra map[string]string) map[string]string {
	a := map[string]string{}
	for k, v := range j.Labels {
		a[k] = v
	}
	a["name"] = j.Name
	if j.Image != "" {
		a["image"] = j.Image
	}
	for k, v := range extra {
		a[k] = v
	}
	return a
}

// LogEvent appends a container event. attrs are name, image and the like;
// losing an event must not fail what caused it, so errors are dropped.
func LogEvent(root, action, id string, attrs map[string]string) {
	data, err := json.Marshal(Event{Time: time.Now().UTC(), Type: "container", Action: action, ID: id, Attrs: attrs})
	if err != nil {
		return
	}
	f, err := os.OpenFile(store.Events(root), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	f.Write(append(data, '\n'))
	f.Close()
}
