// The container's cgroup, seen from the CLI: the limits checked and handed
// to the supervisor, which makes the group before each start and removes
// it after (steps/07-runtime/supervisor/cgroup.go).

package main

import (
	"mini/steps/07-runtime/supervisor"
)

// cgroupJob checks the limits and returns the supervisor's CgroupJob; nil
// with --cgroups disabled.
func (o *runOptions) cgroupJob(cpusSet bool) (*supervisor.CgroupJob, error) {
	if o.cgroups == "disabled" {
		return nil, nil
	}
	res, err := o.res.resources(cpusSet)
	if err != nil {
		return nil, err
	}
	return &supervisor.CgroupJob{Parent: o.res.cgroupParent, Resources: *res, Memory: o.res.memory,
		DefaultDevices: !o.privileged}, nil
}
