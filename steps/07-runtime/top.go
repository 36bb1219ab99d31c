// Top and Stats: a running container seen from the host. Its processes
// are those in its cgroup (or, without one, in its PID namespace), and its
// use of CPU, memory and PIDs is what its cgroup counts (step 02).

package runtime

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	cgroups "mini/steps/02-cgroups"
	"mini/steps/07-runtime/supervisor"
)

// Top lists the host PIDs of a running container's processes.
func (rt *Runtime) Top(ref string) ([]int, error) {
	c, rec, err := rt.Running(ref)
	if err != nil {
		return nil, err
	}
	st := c.State()
	if st.Pid == 0 {
		return nil, NotRunning(ref)
	}
	if rec.CgroupParent != "" {
		if g, err := cgroups.Load(rec.CgroupParent, rec.ID); err == nil {
			return g.Procs()
		}
	}
	return samePidNamespace(st.Pid)
}

// samePidNamespace lists the processes in the PID namespace of pid.
func samePidNamespace(pid int) ([]int, error) {
	want, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/pid", pid))
	if err != nil {
		return nil, err
	}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var pids []int
	for _, d := range dirs {
		if ns, err := os.Readlink(d + "/ns/pid"); err == nil && ns == want {
			n, _ := strconv.Atoi(filepath.Base(d))
			pids = append(pids, n)
		}
	}
	return pids, nil
}

// Sample is one reading of a container's cgroup.
type Sample struct {
	ID    string
	At    time.Time
	Stats *cgroups.Stats
}

// Stats reads the cgroups of the running containers named, or of every
// running container when none is.
func (rt *Runtime) Stats(refs []string) ([]Sample, error) {
	var recs []supervisor.RunRecord
	if len(refs) == 0 {
		alive, _, err := supervisor.Running(rt.Root)
		if err != nil {
			return nil, err
		}
		recs = alive
	}
	for _, ref := range refs {
		_, rec, err := rt.Running(ref)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	var out []Sample
	for _, rec := range recs {
		g, err := cgroups.Load(rec.CgroupParent, rec.ID)
		if err != nil {
			continue
		}
		if st, err := g.Stats(); err == nil {
			out = append(out, Sample{ID: rec.ID, At: time.Now(), Stats: st})
		}
	}
	return out, nil
}
