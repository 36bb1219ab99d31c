// Listing containers as docker ps does: the running ones (or all), newest
// first, filtered, each with its state now.

package runtime

import (
	"sort"
	"strings"

	"mini/steps/07-runtime/supervisor"
)

// ListOptions choose the containers.
type ListOptions struct {
	All     bool     // stopped ones too
	Last    int      // only the newest Last (and then stopped ones too); 0 or less for all
	Filters []string // KEY=VALUE: status=, name= (part of the name), id= (a prefix)
}

// Listed is a container and its state at the time of listing.
type Listed struct {
	*Container
	State *supervisor.State
}

// ListContainers lists the containers o chooses, newest first.
func (rt *Runtime) ListContainers(o ListOptions) ([]Listed, error) {
	if err := checkFilters(o.Filters); err != nil {
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
		if matches(c, st, o.Filters) {
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

// checkFilters refuses a filter ps does not know.
func checkFilters(filters []string) error {
	for _, f := range filters {
		key, _, ok := strings.Cut(f, "=")
		if !ok {
			return invalid("invalid filter %q: want KEY=VALUE", f)
		}
		if key != "status" && key != "name" && key != "id" {
			return invalid("invalid filter %q: mini ps filters by status, name and id", f)
		}
	}
	return nil
}

// matches applies the filters (checked): status=, name= (part of the
// name), id= (a prefix).
func matches(c *Container, st *supervisor.State, filters []string) bool {
	for _, f := range filters {
		key, value, _ := strings.Cut(f, "=")
		switch {
		case key == "status" && st.Status != value,
			key == "name" && !strings.Contains(c.Name, value),
			key == "id" && !strings.HasPrefix(c.ID, value):
			return false
		}
	}
	return true
}
