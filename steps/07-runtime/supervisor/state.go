// A container's state: what state.json records. The supervisor writes it
// at each change; readers correct it with the run lock (a "running"
// container whose lock nobody holds died with its supervisor).

package supervisor

import (
	"encoding/json"
	"os"
	"time"

	"mini/steps/07-runtime/store"
)

// Container statuses, as Docker names them. "paused" is not stored: the
// freezer of the container's cgroup says it.
const (
	StatusCreated    = "created"
	StatusRunning    = "running"
	StatusPaused     = "paused"
	StatusRestarting = "restarting"
	StatusExited     = "exited"
	StatusDead       = "dead"
)

// State is state.json.
type State struct {
	Status       string    `json:"Status"`
	Pid          int       `json:"Pid"`
	ExitCode     int       `json:"ExitCode"`
	OOMKilled    bool      `json:"OOMKilled"`
	Error        string    `json:"Error,omitempty"`
	StartedAt    time.Time `json:"StartedAt"`
	FinishedAt   time.Time `json:"FinishedAt"`
	RestartCount int       `json:"RestartCount"`
	// Network is the running container's address, for inspect.
	Network *NetworkState `json:"Network,omitempty"`
	// ManualStop is set by stop and kill: a restart policy other than
	// "always" no longer applies, as in Docker.
	ManualStop bool `json:"ManualStop,omitempty"`
}

// ReadState reads a container's state.json; a container never started has
// none and is "created".
func ReadState(dir store.Dir) *State {
	st := &State{Status: StatusCreated}
	if data, err := os.ReadFile(dir.State()); err == nil {
		json.Unmarshal(data, st)
	}
	return st
}

// WriteState replaces a container's state.json.
func WriteState(dir store.Dir, st *State) error {
	return store.WriteJSON(dir.State(), st)
}
