// A container's state: what its supervisor recorded in state.json
// (steps/07-runtime/supervisor), corrected by what is true now. The run
// lock says whether a supervisor is alive: a container that says "running"
// but whose lock nobody holds died with its supervisor, by the SIGKILL the
// kernel sends it then, and is shown as exited with 137. The freezer says
// whether a running container is paused.

package runtime

import (
	"fmt"
	"os"

	cgroups "mini/steps/02-cgroups"
	"mini/steps/07-runtime/supervisor"
)

// State is the truth now.
func (c *Container) State() *supervisor.State {
	st := supervisor.ReadState(c.Dir)
	switch st.Status {
	case supervisor.StatusRunning, supervisor.StatusRestarting:
	case supervisor.StatusDead: // its state file is unreadable: does it run?
		if c.Alive() {
			st.Status = supervisor.StatusRunning
		}
		return st
	default:
		return st
	}
	rec, held, _ := supervisor.Probe(c.Root, c.ID) // a held lock says it runs, readable or not
	if !held {
		st.Status, st.Pid, st.ExitCode = supervisor.StatusExited, 0, 137
		if st.FinishedAt.IsZero() {
			if fi, err := os.Stat(c.Dir.State()); err == nil {
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

// Alive says whether the container's supervisor runs: its run lock is held.
func (c *Container) Alive() bool {
	_, held, _ := supervisor.Probe(c.Root, c.ID)
	return held
}

// Running is the run lock record of a running container, found by name, ID
// or unique ID prefix: it says where the container's cgroup is.
func (rt *Runtime) Running(ref string) (*Container, supervisor.RunRecord, error) {
	c, err := rt.Find(ref)
	if err != nil {
		return nil, supervisor.RunRecord{}, err
	}
	rec, held, err := supervisor.Probe(rt.Root, c.ID)
	if !held {
		return nil, supervisor.RunRecord{}, NotRunning(ref)
	}
	if err != nil {
		return nil, supervisor.RunRecord{}, fmt.Errorf("container %s runs, but %w", ref, err)
	}
	return c, rec, nil
}
