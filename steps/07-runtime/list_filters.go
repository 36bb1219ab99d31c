// ps's filters, as docker ps's: each is KEY=VALUE; filters of one key are
// alternatives (status=running and status=exited: either), and filters of
// different keys must all hold, as must every label filter.

package runtime

import (
	"slices"
	"strconv"
	"strings"

	"mini/steps/07-runtime/supervisor"
)

// filterKeys are the filters ps knows, and what each asks of a container.
var filterKeys = map[string]func(rt *Runtime, value string) (func(*Container, *supervisor.State) bool, error){
	"id":   func(_ *Runtime, v string) (func(*Container, *supervisor.State) bool, error) { return byID(v), nil },
	"name": func(_ *Runtime, v string) (func(*Container, *supervisor.State) bool, error) { return byName(v), nil },
	"status": func(_ *Runtime, v string) (func(*Container, *supervisor.State) bool, error) {
		return func(_ *Container, st *supervisor.State) bool { return st.Status == v }, nil
	},
	"exited": func(_ *Runtime, v string) (func(*Container, *supervisor.State) bool, error) {
		code, err := strconv.Atoi(v)
		if err != nil {
			return nil, invalid("invalid filter 'exited=%s': want an exit code", v)
		}
		return func(_ *Container, st *supervisor.State) bool {
			return st.Status == supervisor.StatusExited && st.ExitCode == code
		}, nil
	},
	"ancestor": func(_ *Runtime, v string) (func(*Container, *supervisor.State) bool, error) {
		return byAncestor(v), nil
	},
	"label": func(_ *Runtime, v string) (func(*Container, *supervisor.State) bool, error) { return byLabel(v), nil },
	"network": func(_ *Runtime, v string) (func(*Container, *supervisor.State) bool, error) {
		return func(c *Container, _ *supervisor.State) bool {
			return c.Network != nil && (c.Network.Name == v || c.Network.Mode == v)
		}, nil
	},
	"volume": func(_ *Runtime, v string) (func(*Container, *supervisor.State) bool, error) {
		return func(c *Container, _ *supervisor.State) bool {
			return slices.ContainsFunc(c.Volumes, func(m Volume) bool { return m.Name == v || m.Target == v })
		}, nil
	},
	"health": func(_ *Runtime, v string) (func(*Container, *supervisor.State) bool, error) {
		// mini runs no health checks: every container's health is "none".
		return func(*Container, *supervisor.State) bool { return v == "none" }, nil
	},
	"before": func(rt *Runtime, v string) (func(*Container, *supervisor.State) bool, error) {
		other, err := rt.Find(v)
		if err != nil {
			return nil, err
		}
		return func(c *Container, _ *supervisor.State) bool { return c.Created.Before(other.Created) }, nil
	},
	"since": func(rt *Runtime, v string) (func(*Container, *supervisor.State) bool, error) {
		other, err := rt.Find(v)
		if err != nil {
			return nil, err
		}
		return func(c *Container, _ *supervisor.State) bool { return c.Created.After(other.Created) }, nil
	},
}

// containerFilter compiles the filters into one test.
func (rt *Runtime) containerFilter(filters []string) (func(*Container, *supervisor.State) bool, error) {
	groups := map[string][]func(*Container, *supervisor.State) bool{}
	for _, f := range filters {
		key, value, ok := strings.Cut(f, "=")
		if !ok {
			return nil, invalid("invalid filter %q: want KEY=VALUE", f)
		}
		compile, known := filterKeys[key]
		if !known {
			return nil, invalid("invalid filter '%s': ps filters by id, name, status, exited, ancestor, label, network, volume, health, before and since", key)
		}
		test, err := compile(rt, value)
		if err != nil {
			return nil, err
		}
		group := key
		if key == "label" {
			group = f // every label asked for must be there (Docker's MatchKVList)
		}
		groups[group] = append(groups[group], test)
	}
	return func(c *Container, st *supervisor.State) bool {
		for _, tests := range groups {
			if !slices.ContainsFunc(tests, func(t func(*Container, *supervisor.State) bool) bool { return t(c, st) }) {
				return false
			}
		}
		return true
	}, nil
}

// byID matches an ID prefix; byName a part of the name, as Docker's.
func byID(v string) func(*Container, *supervisor.State) bool {
	return func(c *Container, _ *supervisor.State) bool { return strings.HasPrefix(c.ID, v) }
}

func byName(v string) func(*Container, *supervisor.State) bool {
	return func(c *Container, _ *supervisor.State) bool { return strings.Contains(c.Name, v) }
}

// byAncestor matches a container of the image v: by name (":latest"
// implied) or by ID.
func byAncestor(v string) func(*Container, *supervisor.State) bool {
	return func(c *Container, _ *supervisor.State) bool {
		id := strings.TrimPrefix(c.ImageID, "sha256:")
		return c.Image == v || c.Image == v+":latest" || strings.TrimSuffix(c.Image, ":latest") == v ||
			c.ImageID != "" && (strings.HasPrefix(id, strings.TrimPrefix(v, "sha256:")) && len(strings.TrimPrefix(v, "sha256:")) >= 4)
	}
}

// byLabel matches a label KEY, or KEY=VALUE.
func byLabel(v string) func(*Container, *supervisor.State) bool {
	k, want, hasValue := strings.Cut(v, "=")
	return func(c *Container, _ *supervisor.State) bool {
		if c.Config == nil {
			return false
		}
		got, ok := c.Config.Labels[k]
		return ok && (!hasValue || got == want)
	}
}
