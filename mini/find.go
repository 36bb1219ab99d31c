// Finding a running container: by name, ID or unique ID prefix through the
// container store, then its run lock, which says it is alive and where its
// cgroup is.

package main

import (
	"fmt"
	"path/filepath"
)

// runningRecord resolves ref to a running container's run lock record.
func runningRecord(root, ref string) (runRecord, error) {
	c, err := findContainer(root, ref)
	if err != nil {
		return runRecord{}, err
	}
	rec, held, err := probeRunLock(filepath.Join(runDir(root), c.cfg.ID+".lock"))
	if err != nil || !held {
		return runRecord{}, fmt.Errorf("container %s is not running", ref)
	}
	return rec, nil
}
