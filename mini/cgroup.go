// The container's cgroup, seen from mini run: made before the container
// starts, joined at the sync point, removed when the container is gone.

package main

import (
	"fmt"
	"os"

	namespaces "mini/steps/01-namespaces"
	cgroups "mini/steps/02-cgroups"
)

// setupCgroup checks the limits, makes the container's group with them
// applied and adds the cgroup filesystem to its mounts. It returns the
// group and what removes it. Any failure leaves nothing made.
func (o *runOptions) setupCgroup(id string, spec *namespaces.Spec, cpusSet bool) (cleanup func() error, g cgroups.Group, err error) {
	res, err := o.res.resources(cpusSet)
	if err != nil {
		return nil, nil, err
	}
	if !o.privileged {
		res.Devices = cgroups.DefaultDeviceRules
	}
	parent := o.res.cgroupParent
	undo := func() error { return removeCgroup(parent, id) }
	if g, err = cgroups.New(parent, id); err != nil {
		return nil, nil, err
	}
	mounts, err := cgroups.ContainerMounts(!o.privileged)
	if err == nil {
		err = g.Apply(res)
	}
	if err != nil {
		undo()
		return nil, nil, err
	}
	spec.Mounts = append(mounts, spec.Mounts...)
	return undo, g, nil
}

// placeInCgroup arranges for the container's first process to be in its
// group before it runs anything: born there on cgroup v2; on v1, joining it
// itself as its first act after the sync point.
func placeInCgroup(spec *namespaces.Spec, opts *namespaces.Options, g cgroups.Group) error {
	dir, err := g.CloneInto()
	if err != nil {
		return err
	}
	opts.CgroupDir = dir
	spec.JoinFiles = g.SelfJoinFiles()
	return nil
}

// reportOOM says so when the kernel's OOM killer killed a process of the
// container (its exit status, 137, alone does not tell SIGKILL from OOM),
// and returns whether it did, for inspect's State.OOMKilled.
func reportOOM(g cgroups.Group, limit string) bool {
	n, err := g.OOMKills()
	if err != nil || n == 0 {
		return false
	}
	fmt.Fprintf(os.Stderr, "mini: the container ran out of memory: the kernel's OOM killer killed a process (memory limit %s)\n", limitOr(limit))
	return true
}

func limitOr(limit string) string {
	if limit == "" {
		return "none"
	}
	return limit
}
