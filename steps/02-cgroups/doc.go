// Package cgroups limits and accounts what a container's processes use:
// memory, CPU time, which CPUs, how many processes.
//
// # Control groups
//
// A cgroup is a directory in a special filesystem. Every process belongs to
// exactly one cgroup per hierarchy; its children are born in the same one.
// The files in the directory are the controllers' knobs and meters: write a
// number to memory.max and the kernel's memory controller will not let the
// group's processes together use more; read pids.current and the pids
// controller tells how many there are. Moving a process is writing its PID
// to the group's cgroup.procs.
//
// A container is given a cgroup of its own, named by its ID, under a parent
// group (default "mini", flag --cgroup-parent). The first process joins it
// at the sync point of step 01: after the process exists, before it runs
// the user's command. Joining before the command can fork matters: a child
// forked earlier would stay in the old cgroup, outside every limit, and a
// fork bomb started first would never be contained.
//
// # Two versions
//
// cgroup v1 has one hierarchy per controller, each mounted on its own
// (/sys/fs/cgroup/memory, /sys/fs/cgroup/cpu...), so a container has one
// directory per controller. cgroup v2 has a single hierarchy with every
// controller in it, and a controller works in a group only once the group's
// parent lists it in cgroup.subtree_control. layout.go tells which this
// machine has; v1.go and v2.go are the two drivers behind one interface.
// What each run flag writes:
//
//	flag             v1 file (its controller's tree)   v2 file
//	-m, --memory     memory.limit_in_bytes             memory.max
//	--memory-swap    memory.memsw.limit_in_bytes       memory.swap.max (swap alone)
//	-c, --cpu-shares cpu.shares                        cpu.weight (converted, see cpu.go)
//	--cpus           cpu.cfs_quota_us, cfs_period_us   cpu.max ("quota period")
//	--cpuset-cpus    cpuset.cpus                       cpuset.cpus
//	--cpuset-mems    cpuset.mems                       cpuset.mems
//	--pids-limit     pids.max                          pids.max
//	(always)         devices.deny, devices.allow       an eBPF device filter
//	pause            freezer.state = FROZEN            cgroup.freeze = 1
//	OOM kills        memory.oom_control: oom_kill N    memory.events: oom_kill N
//
// The package never writes a v1 path on a v2 machine or the reverse: an
// earlier teaching runtime hard-coded v1 paths and broke on every modern
// distribution, another was v2-only and broke on hybrid hosts.
package cgroups
