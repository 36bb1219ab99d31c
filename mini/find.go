// Finding a running container: by name, ID or unique ID prefix through the
// container store, then its run lock, which says it is alive and where its
// cgroup is.

package main

import (
	"fmt"

	"mini/steps/07-runtime/supervisor"
)

// runningRecord resolves ref to a running container's run lock record.
func runningRecord(root, ref string) (supervisor.RunRecord, error) {
	c, err := findContainer(root, ref)
	if err != nil {
		return supervisor.RunRecord{}, err
	}
	rec, held, err := supervisor.Probe(root, c.cfg.ID)
	if err != nil || !held {
		return supervisor.RunRecord{}, fmt.Errorf("container %s is not running", ref)
	}
	return rec, nil
}
