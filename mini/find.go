// Finding running containers by ID or unique ID prefix, as Docker accepts.
// Until containers are stored on disk (the runtime stage), the running ones
// are known by their run locks (runlock.go).

package main

import (
	"fmt"
	"strings"
)

// findRunning resolves ref to one running container under root.
func findRunning(root, ref string) (runRecord, error) {
	alive, _, err := runningContainers(root)
	if err != nil {
		return runRecord{}, err
	}
	var found []runRecord
	for _, rec := range alive {
		if strings.HasPrefix(rec.ID, ref) {
			found = append(found, rec)
		}
	}
	switch {
	case ref == "" || len(found) == 0:
		return runRecord{}, fmt.Errorf("no such container: %s", ref)
	case len(found) > 1:
		return runRecord{}, fmt.Errorf("%d containers match the prefix %s: give more of the ID", len(found), ref)
	}
	return found[0], nil
}
