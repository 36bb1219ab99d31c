// Package runtime is the container engine: steps 01 to 06 are the
// mechanisms a container is made of, and this package puts them together
// into containers that are created, started, stopped, restarted and
// removed, one store of them under a state root, and a supervisor for each
// one that runs.
//
// # A container is a record
//
// A container is first of all a directory in the store (package store
// says where everything is) holding one record, container.json (Record):
// what the container is made from (its image and layers, its volumes) and
// what its supervisor must start (a Job: step 01's Spec, step 02's limits,
// step 05's network, the restart policy). The record is written once, whole,
// when the container is made, and again only by a rename, so a container's
// ID, name and image are kept in one place. Create makes it; Find finds it
// by name, ID or unique ID prefix, as Docker does; Remove deletes it.
//
// # Its life is a state machine
//
//	          Create            Start               the process exits
//	(nothing) ------> created --------> running -------------------> exited
//	                                    |    ^ \  restart policy       |
//	                              Pause |    |  `-> restarting --------'
//	                                    v    | Unpause                 |
//	                                   paused                 Start    |
//	                                                    <--------------'
//	    Remove: any state but running (Remove with force: any state)
//
// What state a container is in is written by its supervisor to state.json
// at each change, and corrected by what is true now (state.go): paused is
// the cgroup freezer's word, and a container whose supervisor died is
// exited, whatever its state.json says.
//
// # Each running container has a supervisor
//
// Only a process's parent can wait for it. A runtime without a daemon, as
// mini is, cannot leave its containers' parent behind in the command that
// started them: that command returns (run -d), or is killed. So each
// container runs under a small process of its own, its supervisor
// (package supervisor, the program mini-shim): it starts the container,
// holds its standard streams and log, serves attach clients on a socket,
// waits for the exit, records it, restarts the container by its policy,
// and cleans up. Docker's containerd-shim and Podman's conmon are the same
// idea.
//
// # Liveness without a daemon
//
// While it runs, a supervisor holds an flock(2) on the container's run
// lock. The kernel drops a lock when its holder exits, however it exits,
// so any mini can tell a live container from the leftovers of a dead one by
// trying the lock: Alive. A lock that nobody holds is a supervisor that
// died; Sweep removes what it left (its cgroup, its network).
//
// # The API
//
// Runtime's methods take plain values and option structs and return plain
// values and typed errors (errors.go): no flags, no printing, no exit. The
// mini command is a command line over them. ./example is a small program
// that drives a container through them alone.
//
// # Reading it
//
// The package is larger than a step (about 2,900 lines) because it is the
// one place a container's whole life is found, as its API is: the record
// and the store of containers (container.go, state.go), making one
// (create.go with rootsource.go, env.go, volumes.go, volume_image.go,
// network.go), its life (lifecycle.go, spawn.go, exec.go), what can be
// read of it (logs.go, events.go, top.go, files.go, inspect.go), and what
// containers share (volume_store.go, networks.go). Each file is one of
// those concepts; below the package, store is where things are on disk,
// and supervisor is the program that stays with each running container.
package runtime
