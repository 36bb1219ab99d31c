// Package namespaces starts a process that sees a system of its own: its own
// hostname, its own process tree with itself as PID 1, its own mount table
// with a different root directory, its own network stack, its own IPC
// objects and its own view of the cgroup tree. That process is a container.
//
// # Namespaces
//
// The kernel gives every process a set of namespaces, one per kind of
// resource. A process started with clone(2) and a CLONE_NEW* flag gets a new,
// empty namespace of that kind instead of sharing its parent's:
//
//	CLONE_NEWUTS     hostname and domain name
//	CLONE_NEWPID     process IDs; the first process inside is PID 1
//	CLONE_NEWNS      the mount table ("NS" because it was the first one)
//	CLONE_NEWIPC     System V IPC objects and POSIX message queues
//	CLONE_NEWNET     network devices, addresses, routes, firewall rules
//	CLONE_NEWCGROUP  which part of the cgroup tree looks like the root
//
// Each namespace is a kernel object; /proc/PID/ns/KIND is a link naming it
// (for example "uts:[4026532200]"), so two processes share a namespace
// exactly when those links read the same.
//
// # Why mini runs itself again
//
// Between the moment the new process exists and the moment the user's
// command runs, a lot has to happen inside the new namespaces: mounts,
// pivot_root, the hostname, devices, dropping privileges. A C runtime can do
// that between fork and exec. A Go program cannot: the Go runtime is
// multi-threaded, and after fork only one thread survives, so almost nothing
// is safe to run there. Instead mini starts a fresh copy of itself (the
// hidden command "init") with the clone flags set, and that copy, a whole
// new Go program already inside the namespaces, does the setup and finally
// calls execve(2) to become the user's command. runc does the same.
// mini installs a small companion, mini-init (mini/init), whose main calls
// Init and nothing else: a Go program initialises every package it links
// before main runs, and mini links far more than a container's first
// process needs. Without mini-init beside it, mini runs itself again.
//
// The copy that runs is not the host's mini file but a sealed in-memory
// clone of it (clone.go): a container must never get a writable handle to a
// host binary (runc CVE-2019-5736).
//
// # The sync point
//
// The parent (Start, in start.go) and the child (Init, in init.go) talk
// over pipes:
//
//  1. The parent starts the child: os/exec with the clone flags in its
//     SysProcAttr. The child's first act is to read its Spec from the init
//     pipe, and it blocks there. (spawn.go, an optimisation to skip on
//     first reading, starts the child before the Spec is known.)
//  2. While the child waits, the parent runs its hooks with the child's
//     PID: step 02 puts the process into its cgroup (before it can fork, so
//     nothing escapes the limits), step 05 moves a network device into its
//     network namespace.
//  3. The parent writes the Spec and closes the pipe: that is "go".
//  4. The child builds its root filesystem (rootfs.go, dev.go, mask.go),
//     sets the hostname, brings up loopback, switches user and drops
//     capabilities (user.go, caps.go), and execs the command (exec.go).
//  5. If anything fails before exec, the child writes the error to the
//     error pipe and exits; the parent reads it and reports exit status
//     125, 126 or 127 as Docker does. When exec succeeds the kernel closes
//     the pipe (it is close-on-exec) and the parent reads nothing: the same
//     trick Go's own ForkExec uses to report a failed exec.
//
// The package is larger than most steps (about 2,200 lines) because a
// container's first process does everything Docker's defaults ask of it
// before the user's command: its root, /dev, masked paths, users,
// capabilities, the terminal, exec's helper. Each of those is a file of its
// own; start.go and init.go are the two halves to read first.
package namespaces
