// The Spec is everything the child needs to know to become the container.
// The parent fills it in from the command line (and later from the image)
// and sends it to the child as JSON over the init pipe; nothing else crosses
// from the parent's world into the child's.

package namespaces

// Spec describes the process to start and the world it should see.
type Spec struct {
	// Rootfs is the host directory that becomes "/" inside the container.
	Rootfs string `json:"rootfs"`
	// RootfsMount, when set, is mounted on Rootfs in the child's own mount
	// namespace just before pivot_root (step 03's overlay): the host never
	// sees it, and it goes away with the namespace however the container
	// ends. Without it, Rootfs is bind-mounted onto itself.
	RootfsMount *Mount `json:"rootfs_mount,omitempty"`
	// Binds are host paths bind-mounted into the container (volumes, step
	// 03), made before pivot_root while the host's paths are still there.
	Binds []Bind `json:"binds,omitempty"`
	// ReadonlyRootfs makes "/" read-only once everything is mounted.
	ReadonlyRootfs bool `json:"readonly_rootfs,omitempty"`
	// Args is the command and its arguments. Args[0] is looked up in the
	// container's PATH when it has no slash.
	Args []string `json:"args"`
	// Env is the complete environment of the command, KEY=VALUE.
	Env []string `json:"env"`
	// Hostname is set in the new UTS namespace.
	Hostname string `json:"hostname"`
	// User is "", "name", "uid", "name:group" or "uid:gid", resolved with
	// the container's own /etc/passwd and /etc/group.
	User string `json:"user,omitempty"`
	// Cwd is the working directory inside the container; made if missing.
	Cwd string `json:"cwd,omitempty"`
	// Privileged keeps every capability and skips the masked and
	// read-only paths. /sys is mounted read-write. (A privileged
	// container also runs unconfined: its Seccomp says so.)
	Privileged bool `json:"privileged,omitempty"`
	// Capabilities are the ones the command keeps (caps.go), by name;
	// nil means Docker's default set (ResolveCapabilities makes others),
	// and empty, none: so no omitempty, which would turn one into the
	// other.
	Capabilities []string `json:"capabilities"`
	// Seccomp is the seccomp profile (seccomp_profile.go): "" for
	// Docker's default, "unconfined" for none, or a profile's JSON.
	Seccomp string `json:"seccomp,omitempty"`
	// NoNewPrivileges sets no_new_privs: no setuid program or file
	// capability can give the command more than it starts with.
	NoNewPrivileges bool `json:"no_new_privileges,omitempty"`
	// Tty gives the command a pseudo-terminal made inside the container;
	// the parent receives its master side (console.go).
	Tty bool `json:"tty,omitempty"`
	// JoinFiles are files the child writes "0" to first thing after the
	// sync point, before anything else: how a thread moves itself into a
	// cgroup v1 group through its "tasks" file (step 02). A thread moving
	// itself spares the kernel the global lock a move by another process
	// takes; the thread that writes is the one that execs the command.
	JoinFiles []string `json:"join_files,omitempty"`
	// Mounts are made, in order, after /proc, /sys and /dev: the ways later
	// steps add to the container's filesystem (the cgroup filesystem in
	// step 02, volumes in step 03) without this step knowing them.
	Mounts []Mount `json:"mounts,omitempty"`
	// Network says which network namespace the container has: "" a new
	// one (step 05 wires it at the sync point, or it keeps only its
	// loopback), "host" the host's own, or a /proc/PID/ns/net path: the
	// namespace of another container, joined (--net container:NAME).
	Network string `json:"network,omitempty"`
	// Rows and Cols are the terminal's size when Tty is set.
	Rows uint16 `json:"rows,omitempty"`
	Cols uint16 `json:"cols,omitempty"`
}

// Mount is one mount(2) call made inside the new root. Target is a path in
// the container; its directory is made first unless Flags has MS_REMOUNT.
type Mount struct {
	Source string  `json:"source"`
	Target string  `json:"target"`
	Type   string  `json:"type,omitempty"`
	Flags  uintptr `json:"flags,omitempty"`
	Data   string  `json:"data,omitempty"`
	// Dir, when set, is where relative paths in Data are read from.
	Dir string `json:"dir,omitempty"`
}

// Bind is a host file or directory shown at a path in the container.
type Bind struct {
	Source   string `json:"source"` // on the host
	Target   string `json:"target"` // in the container
	ReadOnly bool   `json:"readonly,omitempty"`
}

// capabilities are the ones the command keeps, unless privileged.
func (s *Spec) capabilities() []string {
	if s.Capabilities == nil {
		return DefaultCapabilities
	}
	return s.Capabilities
}
