// A container's state: what state.json records, and what is true now.
//
// state.json is written when the container starts and again when its first
// process exits. The run lock (runlock.go) says whether it is alive right
// now: a container whose state says "running" but whose lock nobody holds
// died with its mini, by the SIGKILL the kernel sends it then, and is shown
// as exited with 137.

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"mini/internal/atomicfile"
)

// Container statuses, as Docker names them.
const (
	statusCreated = "created"
	statusRunning = "running"
	statusExited  = "exited"
)

// containerState is state.json.
type containerState struct {
	Status     string    `json:"Status"`
	Pid        int       `json:"Pid"`
	ExitCode   int       `json:"ExitCode"`
	OOMKilled  bool      `json:"OOMKilled"`
	StartedAt  time.Time `json:"StartedAt"`
	FinishedAt time.Time `json:"FinishedAt"`
}

func (c *container) statePath() string { return filepath.Join(c.dir, "state.json") }

func (c *container) saveState(st *containerState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(c.statePath(), data)
}

// writeState records a start.
func (c *container) writeState(pid int) error {
	return c.saveState(&containerState{Status: statusRunning, Pid: pid, StartedAt: time.Now().UTC()})
}

// recordExit records how the container ended.
func (c *container) recordExit(code int, oom bool) {
	st := c.readState()
	st.Status, st.Pid, st.ExitCode, st.OOMKilled = statusExited, 0, code, oom
	st.FinishedAt = time.Now().UTC()
	c.saveState(st)
}

// readState reads state.json; a container never started has none.
func (c *container) readState() *containerState {
	st := &containerState{Status: statusCreated}
	if data, err := os.ReadFile(c.statePath()); err == nil {
		json.Unmarshal(data, st)
	}
	return st
}

// state is the truth now: state.json, corrected by the run lock.
func (c *container) state(root string) *containerState {
	st := c.readState()
	if st.Status == statusRunning && !c.running(root) {
		st.Status, st.Pid, st.ExitCode = statusExited, 0, 137
		if st.FinishedAt.IsZero() {
			if fi, err := os.Stat(c.statePath()); err == nil {
				st.FinishedAt = fi.ModTime().UTC()
			}
		}
	}
	return st
}
