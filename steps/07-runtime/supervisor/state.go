// A container's state: what state.json records. The supervisor writes it
// at each change; readers correct it with the run lock (a "running"
// container whose lock nobody holds died with its supervisor).

package supervisor

import (
	"encoding/json"
	"errors"
	"fmt"
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
// none and is "created". One that cannot be read (a truncated file) makes
// the container "dead", as Docker calls a container in a state it cannot
// trust, with an Error naming the file; its run lock still says whether
// it runs (steps/07-runtime's State).
func ReadState(dir store.Dir) *State {
	st := &State{Status: StatusCreated}
	data, err := os.ReadFile(dir.State())
	if err != nil {
		return st
	}
	if err := json.Unmarshal(data, st); err != nil || st.Status == "" {
		if err == nil {
			err = errors.New("no status in it")
		}
		return &State{Status: StatusDead, ExitCode: -1,
			Error: fmt.Sprintf("the state file %s is unreadable (%v): rm the container, or start it again", dir.State(), err)}
	}
	return st
}

// WriteState replaces a container's state.json.
func WriteState(dir store.Dir, st *State) error {
	return store.WriteJSON(dir.State(), st)
}
