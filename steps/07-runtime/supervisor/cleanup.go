// Cleaning up after a mini that was killed.
//
// A supervisor killed with SIGKILL cannot clean up: its container dies with
// it (the kernel's parent-death signal), but the container's cgroup stays,
// and its state still says it runs. The next mini command that looks finds
// the run lock nobody holds any more, removes what it describes, and
// writes down the death the supervisor could not: exited, 137, and a
// "die" event.

package supervisor

import (
	"os"
	"time"

	"golang.org/x/sys/unix"

	cgroups "mini/steps/02-cgroups"
	"mini/steps/07-runtime/store"
)

// Sweep removes the leftovers of every dead container under root.
func Sweep(root string) {
	_, dead, err := Running(root)
	if err != nil {
		return
	}
	for _, rec := range dead {
		sweepOne(root, rec)
	}
}

// sweepOne removes one dead container's cgroup, then its lock file. It takes
// the lock first, so two minis sweeping at once do not both act.
func sweepOne(root string, rec RunRecord) {
	path := store.RunLock(root, rec.ID)
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
		return // alive after all, or another mini is sweeping it
	}
	if err := RemoveCgroup(rec.CgroupParent, rec.ID); err != nil {
		return // try again next time
	}
	sweepNetwork(rec)
	recordDeath(root, rec.ID)
	releaseConnections(store.Container(root, rec.ID), rec.ID)
	os.RemoveAll(store.Removed(root, rec.ID)) // --rm's, if it died deleting it
	os.Remove(path)
}

// recordDeath writes down the end of a container that died with its
// supervisor, of the SIGKILL the kernel sent it then.
func recordDeath(root, id string) {
	dir := store.Container(root, id)
	st := ReadState(dir)
	if st.Status != StatusRunning && st.Status != StatusRestarting {
		return // it had ended, or was removed (--rm)
	}
	st.Status, st.Pid, st.ExitCode = StatusExited, 0, 137
	st.FinishedAt, st.Network = time.Now().UTC(), nil
	WriteState(dir, st)
	attrs := map[string]string{"exitCode": "137"}
	if job, err := ReadJob(dir); err == nil {
		attrs["name"] = job.Name
		if job.Image != "" {
			attrs["image"] = job.Image
		}
	}
	LogEvent(root, "die", id, attrs)
}

// RemoveCgroup kills whatever is left in a container's group, removes it,
// and removes mini's own default parent once it is empty.
func RemoveCgroup(parent, id string) error {
	if parent == "" {
		return nil // run with --cgroups disabled: no group
	}
	g, err := cgroups.Load(parent, id)
	if err != nil {
		return err
	}
	if _, err := os.Stat(g.Paths()[0]); os.IsNotExist(err) {
		return nil
	}
	// Normally the group is already empty: when a container's first process
	// exits, the kernel kills the rest of its PID namespace.
	if pids, err := g.Procs(); err != nil || len(pids) > 0 {
		if err := g.Kill(); err != nil {
			return err
		}
	}
	if err := g.Destroy(); err != nil {
		return err
	}
	if parent == cgroups.DefaultParent {
		cgroups.RemoveParent(parent)
	}
	return nil
}
