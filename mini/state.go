// A container's state as the CLI sees it: what its supervisor recorded in
// state.json (steps/07-runtime/supervisor), corrected by what is true now. The run lock
// says whether a supervisor is alive: a container that says "running" but
// whose lock nobody holds died with its supervisor, by the SIGKILL the
// kernel sends it then, and is shown as exited with 137. The freezer says
// whether a running container is paused.

package main

import (
	"os"
	"path/filepath"

	cgroups "mini/steps/02-cgroups"
	"mini/steps/07-runtime/supervisor"
)

// state is the truth now.
func (c *container) state(root string) *supervisor.State {
	st := supervisor.ReadState(c.dir)
	switch st.Status {
	case supervisor.StatusRunning, supervisor.StatusRestarting:
	default:
		return st
	}
	rec, held, err := supervisor.Probe(root, c.cfg.ID)
	if err != nil || !held {
		st.Status, st.Pid, st.ExitCode = supervisor.StatusExited, 0, 137
		if st.FinishedAt.IsZero() {
			if fi, err := os.Stat(filepath.Join(c.dir, "state.json")); err == nil {
				st.FinishedAt = fi.ModTime().UTC()
			}
		}
		return st
	}
	if st.Status == supervisor.StatusRunning && rec.CgroupParent != "" {
		if g, err := cgroups.Load(rec.CgroupParent, rec.ID); err == nil {
			if frozen, _ := g.Frozen(); frozen {
				st.Status = supervisor.StatusPaused
			}
		}
	}
	return st
}

// alive says whether the container's supervisor runs: its run lock is held.
func (c *container) alive(root string) bool {
	_, held, err := supervisor.Probe(root, c.cfg.ID)
	return err == nil && held
}
