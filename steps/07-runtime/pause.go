// Pause and unpause: step 02's freezer, applied to a running container.
//
// A paused process is not sent a signal and cannot notice: it is simply
// not scheduled until it is thawed. That has a consequence for every
// command that signals a container. A signal sent to a frozen process
// stays pending (on cgroup v1 even SIGKILL), so stop, kill, restart and
// rm -f would wait forever for a container that cannot act on it. Docker
// resumes a paused container once it has sent it a stop or kill signal,
// and so does mini: the signal is delivered the moment it runs again.

package runtime

import (
	"fmt"

	cgroups "mini/steps/02-cgroups"
	"mini/steps/07-runtime/supervisor"
)

// Pause freezes every process of a running container where it stands.
// Pausing a paused container is an error, as in Docker.
func (rt *Runtime) Pause(ref string) error {
	return rt.freezer(ref, func(c *Container, g cgroups.Group, frozen bool) error {
		if frozen {
			return conflict("container %s is already paused", ref)
		}
		if err := g.Freeze(); err != nil {
			return err
		}
		c.Event("pause")
		return nil
	})
}

// Unpause thaws a paused container; one that is not paused is an error.
func (rt *Runtime) Unpause(ref string) error {
	return rt.freezer(ref, func(c *Container, g cgroups.Group, frozen bool) error {
		if !frozen {
			return conflict("container %s is not paused", ref)
		}
		if err := g.Thaw(); err != nil {
			return err
		}
		c.Event("unpause")
		return nil
	})
}

// freezer finds a running container's cgroup and whether it is frozen,
// and hands them to op.
func (rt *Runtime) freezer(ref string, op func(*Container, cgroups.Group, bool) error) error {
	c, rec, err := rt.Running(ref)
	if err != nil {
		return err
	}
	if rec.CgroupParent == "" {
		return invalid("container %s has no cgroup (it runs with --cgroups disabled)", ref)
	}
	g, err := cgroups.Load(rec.CgroupParent, rec.ID)
	if err != nil {
		return err
	}
	frozen, err := g.Frozen()
	if err != nil {
		return err
	}
	return op(c, g, frozen)
}

// thaw lets a paused container run again, so that the signal just sent to
// it is delivered. A container that is not paused is left alone.
func (c *Container) thaw() {
	if g, ok := c.group(); ok {
		if frozen, _ := g.Frozen(); frozen {
			g.Thaw()
		}
	}
}

// WhilePaused runs fn with the container frozen, if it runs and is not
// paused already, and thaws it after. Copying a running container's files
// walks them by path from the host: in between, the container could swap
// a directory for a symlink to a host path, and the host would follow it
// (CVE-2018-15664). Frozen, it cannot; Docker's cp and commit pause too.
func (c *Container) WhilePaused(fn func() error) error {
	g, ok := c.group()
	if !ok {
		return fn() // stopped, or with --cgroups disabled
	}
	if frozen, err := g.Frozen(); err != nil || frozen {
		return fn()
	}
	if err := g.Freeze(); err != nil {
		return fmt.Errorf("pause %s for the copy: %w", c.Name, err)
	}
	defer g.Thaw()
	return fn()
}

// group is a running container's cgroup; false if it has none.
func (c *Container) group() (cgroups.Group, bool) {
	rec, held, err := supervisor.Probe(c.Root, c.ID)
	if err != nil || !held || rec.CgroupParent == "" {
		return nil, false
	}
	g, err := cgroups.Load(rec.CgroupParent, rec.ID)
	return g, err == nil
}
