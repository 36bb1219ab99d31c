// Package supervisor is the process that stays with a running container
// (the program mini-shim: Docker calls its own a shim).
//
// Why a runtime needs one. A container's first process is a child of
// whoever started it, and only a parent can wait for its child's exit
// status. If `mini run -d` started the container itself and returned, the
// container would be orphaned: nobody would record how it ended, remove its
// cgroup, keep its output, or let a later `mini attach` type into it. So
// every container gets a small process of its own, started by the CLI and
// then left behind, in its own session (no terminal's hang-up reaches it):
//
//	mini run -d ... --> mini-shim --> the container's init (step 01)
//	   (returns)          |  holds the run lock: "alive"
//	                      |  holds stdin, stdout, stderr (or the terminal)
//	                      |  writes them to the container's log (json-file)
//	                      |  serves attach clients on a unix socket
//	                      |  waits; records the exit in state.json;
//	                      |  restarts it (--restart); cleans up (cgroup,
//	                      |  and the whole container with --rm)
//
// Docker's equivalent is containerd-shim (one per container, between
// containerd and runc); Podman's is conmon, a small C program for the same
// reason mini-shim is a separate small binary: a supervisor lives as long as
// its container, so its memory is paid once per container. Without -d the
// CLI simply stays connected to the supervisor, as `docker run` stays
// attached.
//
// Its main reads: the job, the run lock, then for each start the cgroup,
// the network, the container's init, a wait, the exit recorded; then the
// clean-up (supervise.go). An optimisation (early.go, to skip on first
// reading) starts on the lock, the cgroup and the init before the job
// comes, when mini run tells it early what it needs.
//
// The supervisor is the container's parent, and the container's init is
// started with a parent-death signal: if the supervisor is killed, the
// kernel kills the container, and the run lock it held is released. The
// next mini command finds the lock free and removes what the container
// left (Sweep).
//
// What is on disk, in the container's directory:
//
//	container.json  the record; its Job is what to start: the Spec, cgroup
//	             limits, restart policy (written by the runtime's Create)
//	state.json   what is true: status, pid, exit code, times (State)
//	log.json     the container's output, one JSON object per line
//	attach.sock  the supervisor's socket while it runs (proto.go's frames)
//
// and in $root/run/ID.lock, the run lock (lock.go).
//
// The package is one program's (about 2,000 lines), read in this order:
// supervise.go (its life), start.go (one start), stdio.go, log.go,
// proto.go and server.go (the container's streams and the attach
// clients), cgroup.go, network.go and connections.go (what a start makes),
// lock.go, state.go and cleanup.go (what others can know of it), and
// early.go, an optimisation.
package supervisor
