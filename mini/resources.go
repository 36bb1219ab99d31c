// The resource flags of mini run, checked and turned into step 02's
// Resources the way Docker reads them.

package main

import (
	"fmt"
	"os"

	cgroups "mini/steps/02-cgroups"
)

// Docker refuses memory limits below 6 MiB: too little to start anything.
const minMemory = 6 << 20

// resourceOptions are the flags, as typed.
type resourceOptions struct {
	memory, memorySwap     string
	cpuShares              int64
	cpus                   float64
	cpusetCpus, cpusetMems string
	pidsLimit              int64
	cgroupParent           string
}

// resources checks the flags and returns the limits to apply.
func (o *resourceOptions) resources(cpusSet bool) (*cgroups.Resources, error) {
	r := &cgroups.Resources{CpusetCpus: o.cpusetCpus, CpusetMems: o.cpusetMems}
	var err error
	if err = o.memoryLimits(r); err != nil {
		return nil, err
	}
	if o.cpuShares < 0 {
		return nil, fmt.Errorf("invalid --cpu-shares %d: want a positive weight such as 512", o.cpuShares)
	}
	r.CPUShares = uint64(o.cpuShares)
	if cpusSet {
		if r.CPUQuota, r.CPUPeriod, err = cgroups.CPUsToQuota(o.cpus); err != nil {
			return nil, err
		}
	}
	if o.cpusetCpus != "" {
		if err := cgroups.CheckCpuset("--cpuset-cpus", o.cpusetCpus, cgroups.OnlineCPUs); err != nil {
			return nil, err
		}
	}
	if o.cpusetMems != "" {
		if err := cgroups.CheckCpuset("--cpuset-mems", o.cpusetMems, cgroups.OnlineNodes); err != nil {
			return nil, err
		}
	}
	switch {
	case o.pidsLimit > 0:
		r.PidsLimit = o.pidsLimit
	case o.pidsLimit < -1:
		return nil, fmt.Errorf("invalid --pids-limit %d: want a number of processes, or -1 for no limit", o.pidsLimit)
	}
	return r, nil
}

// memoryLimits reads -m and --memory-swap. As in Docker, --memory-swap is
// memory plus swap; unset, it is twice the memory; -1 is unlimited swap.
func (o *resourceOptions) memoryLimits(r *cgroups.Resources) error {
	if o.memory != "" {
		m, err := parseBytes("--memory", o.memory)
		if err != nil {
			return err
		}
		if m < minMemory {
			return fmt.Errorf("invalid --memory %s: the smallest limit is 6m", o.memory)
		}
		r.Memory, r.MemorySwap = m, 2*m
	}
	switch o.memorySwap {
	case "":
	case "-1":
		r.MemorySwap = -1
	default:
		if r.Memory == 0 {
			return fmt.Errorf("--memory-swap needs --memory too")
		}
		s, err := parseBytes("--memory-swap", o.memorySwap)
		if err != nil {
			return err
		}
		if s < r.Memory {
			return fmt.Errorf("invalid --memory-swap %s: it counts memory plus swap, so it must be at least --memory %s", o.memorySwap, o.memory)
		}
		r.MemorySwap = s
	}
	if o.memorySwap != "" && !cgroups.SwapAccounting() {
		fmt.Fprintln(os.Stderr, "WARNING: this kernel does not limit swap per cgroup; memory is limited without swap")
	}
	return nil
}
