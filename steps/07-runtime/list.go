// Listing containers as docker ps does: the running ones (or all), newest
// first, filtered, each with its state now.

package runtime

import (
	"sort"

	"mini/steps/07-runtime/supervisor"
)

// ListOptions choose the containers.
type ListOptions struct {
	All     bool     // stopped ones too
	Last    int      // only the newest Last (and then stopped ones too); 0 or less for all
	Filters []string // KEY=VALUE, as docker ps's (list_filters.go)
}

// Listed is a container and its state at the time of listing.
type Listed struct {
	*Container
	State *supervisor.State
}

// ListContainers lists the containers o chooses, newest first.
func (rt *Runtime) ListContainers(o ListOptions) ([]Listed, error) {
	match, err := rt.containerFilter(o.Filters)
	if err != nil {
		return nil, err
	}
	all, err := rt.List()
	if err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Created.After(all[j].Created) })
	var out []Listed
	for _, c := range all {
		st := c.State()
		if !o.All && o.Last <= 0 && !IsUp(st) {
			continue
		}
		if match(c, st) {
			out = append(out, Listed{c, st})
		}
	}
	if o.Last > 0 && len(out) > o.Last {
		out = out[:o.Last]
	}
	return out, nil
}

// IsUp says whether ps lists the container without -a: running, paused
// or between two runs of a restart policy.
func IsUp(st *supervisor.State) bool {
	switch st.Status {
	case supervisor.StatusRunning, supervisor.StatusPaused, supervisor.StatusRestarting:
		return true
	}
	return false
}
