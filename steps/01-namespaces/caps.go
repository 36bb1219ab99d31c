// Capabilities: root's powers, cut into pieces.
//
// The kernel splits what root may do into about forty capabilities
// (CAP_SYS_ADMIN mounts filesystems, CAP_NET_ADMIN configures networks,
// CAP_SYS_MODULE loads kernel modules...). A process has several sets of
// them; the ones that matter here:
//
//	bounding   the most the process and its children can ever gain
//	effective  what the kernel checks right now
//	permitted  what the process may raise into effective
//
// Root in a container gets only Docker's default set, enough to run
// ordinary programs and package managers, not enough to reconfigure the
// host. Dropping from the bounding set is what makes it stick: when root
// execs a program the kernel grants it the bounding set, so a capability
// not in the bounding set is gone for good. A non-root user gets none at all:
// changing uid from 0 to another clears the permitted and effective sets.
//
// Capability sets belong to a thread, not a process. Init locks itself to
// one OS thread and execs from it, so the sets made here are the ones the
// command starts with.

package namespaces

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// DefaultCapabilities is Docker's default set.
var DefaultCapabilities = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
	"CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
	"CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
}

// capabilityNames are the capabilities by number (linux/capability.h).
var capabilityNames = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
	"CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
}

// capMask turns a list of capability names into a 64-bit set.
func capMask(names []string) uint64 {
	var m uint64
	for _, name := range names {
		if c := slices.Index(capabilityNames, name); c >= 0 {
			m |= 1 << c
		}
	}
	return m
}

// AllCapabilities are every capability this kernel has and mini holds,
// by name: what --cap-add ALL gives (as --privileged gives what mini
// holds; a sandbox may withhold some from root).
func AllCapabilities() ([]string, error) {
	known, err := knownCapabilities()
	if err != nil {
		return nil, err
	}
	return heldOf(known)
}

// heldOf are the capabilities of names that mini holds.
func heldOf(names []string) ([]string, error) {
	held, err := permittedCapabilities()
	if err != nil {
		return nil, err
	}
	var all []string
	for _, c := range names {
		if held&capMask([]string{c}) != 0 {
			all = append(all, c)
		}
	}
	return all, nil
}

// knownCapabilities are the capabilities this kernel has.
func knownCapabilities() ([]string, error) {
	last, err := lastCap()
	if err != nil {
		return nil, err
	}
	return capabilityNames[:min(int(last)+1, len(capabilityNames))], nil
}

// ResolveCapabilities is the set a container keeps: Docker's default,
// less drop, plus add. "ALL" in add starts from every capability, in drop
// from none. Names are Docker's, with or without CAP_, in any case.
func ResolveCapabilities(add, drop []string) ([]string, error) {
	if len(add) == 0 && len(drop) == 0 {
		return DefaultCapabilities, nil
	}
	known, err := knownCapabilities()
	if err != nil {
		return nil, err
	}
	all, err := heldOf(known)
	if err != nil {
		return nil, err
	}
	if add, err = capabilityList(add, known); err != nil {
		return nil, err
	}
	if drop, err = capabilityList(drop, known); err != nil {
		return nil, err
	}
	for _, c := range add {
		if c != "ALL" && !slices.Contains(all, c) {
			return nil, fmt.Errorf("cannot add %s: mini itself does not hold it", c)
		}
	}
	base := DefaultCapabilities
	switch {
	case slices.Contains(add, "ALL"):
		base, add = all, nil
	case slices.Contains(drop, "ALL"):
		base = nil
	}
	keep := []string{} // none at all is not nil, Docker's default
	for _, c := range append(slices.Clone(base), add...) {
		if !slices.Contains(drop, c) && !slices.Contains(keep, c) {
			keep = append(keep, c)
		}
	}
	return keep, nil
}

// capabilityList checks names against the kernel's, in Docker's form.
func capabilityList(names, known []string) ([]string, error) {
	names = NormalizeCapabilities(names)
	for _, n := range names {
		if n != "ALL" && !slices.Contains(known, n) {
			return nil, fmt.Errorf("unknown capability: %q", n)
		}
	}
	return names, nil
}

// NormalizeCapabilities writes names as Docker does: "sys_admin" is
// CAP_SYS_ADMIN, "all" ALL.
func NormalizeCapabilities(names []string) []string {
	if len(names) == 0 {
		return nil // inspect shows null, as Docker's
	}
	out := make([]string, len(names))
	for i, n := range names {
		n = strings.ToUpper(n)
		if n != "ALL" && !strings.HasPrefix(n, "CAP_") {
			n = "CAP_" + n
		}
		out[i] = n
	}
	return out
}

// lastCap is the highest capability this kernel knows.
func lastCap() (uintptr, error) {
	data, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return 0, fmt.Errorf("read cap_last_cap: %w", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(data)))
	return uintptr(n), err
}

// dropBoundingSet removes from the bounding set every capability not in
// keep. It needs CAP_SETPCAP, so it runs before the user switch.
func dropBoundingSet(keep uint64, last uintptr) error {
	for c := uintptr(0); c <= last; c++ {
		if keep&(1<<c) != 0 {
			continue
		}
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, c, 0, 0, 0); err != nil {
			return fmt.Errorf("drop capability %d from bounding set: %w", c, err)
		}
	}
	return nil
}

// setCapabilities makes the effective and permitted sets exactly keep, and
// the inheritable and ambient sets empty (as Docker does since 20.10).
func setCapabilities(keep uint64) error {
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil {
		return fmt.Errorf("clear ambient capabilities: %w", err)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	data := [2]unix.CapUserData{
		{Effective: uint32(keep), Permitted: uint32(keep)},
		{Effective: uint32(keep >> 32), Permitted: uint32(keep >> 32)},
	}
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("set capabilities: %w", err)
	}
	return nil
}

// permittedCapabilities is what mini itself holds: all that --privileged
// can give (mini may run with less than every capability, as under some
// sandboxes).
func permittedCapabilities() (uint64, error) {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return 0, fmt.Errorf("read capabilities: %w", err)
	}
	return uint64(data[1].Permitted)<<32 | uint64(data[0].Permitted), nil
}

// switchUser drops capabilities and becomes u. The order matters: the
// bounding set can only be cut while we still hold CAP_SETPCAP, and the
// groups and gid only changed while we are still root.
func switchUser(u *User, spec *Spec) error {
	keep, err := permittedCapabilities()
	if err != nil {
		return err
	}
	if !spec.Privileged {
		keep = capMask(spec.capabilities())
		last, err := lastCap()
		if err != nil {
			return err
		}
		if err := dropBoundingSet(keep, last); err != nil {
			return err
		}
	}
	if err := setThreadIDs(u); err != nil {
		return err
	}
	if u.Uid != 0 {
		keep = 0 // the kernel already cleared them; say so explicitly
	}
	return setCapabilities(keep)
}

// setThreadIDs sets this thread's groups, gid and uid. Like capabilities,
// they belong to a thread in Linux; Go's syscall.Setresuid sets them on
// every thread of the program, as POSIX asks, by stopping each with a
// signal. Here only this thread matters, the one that execs, so the calls
// are made raw, for it alone, as runc's init makes them.
//
//lab:01 switch this thread to the user: groups first, then gid, then uid (why this order?)
func setThreadIDs(u *User) error {
	groups := make([]uint32, len(u.Groups))
	for i, g := range u.Groups {
		groups[i] = uint32(g)
	}
	var list unsafe.Pointer
	if len(groups) > 0 {
		list = unsafe.Pointer(&groups[0])
	}
	if _, _, e := unix.RawSyscall(unix.SYS_SETGROUPS, uintptr(len(groups)), uintptr(list), 0); e != 0 {
		return fmt.Errorf("setgroups %v: %w", u.Groups, e)
	}
	if _, _, e := unix.RawSyscall(unix.SYS_SETRESGID, uintptr(u.Gid), uintptr(u.Gid), uintptr(u.Gid)); e != 0 {
		return fmt.Errorf("setgid %d: %w", u.Gid, e)
	}
	if _, _, e := unix.RawSyscall(unix.SYS_SETRESUID, uintptr(u.Uid), uintptr(u.Uid), uintptr(u.Uid)); e != 0 {
		return fmt.Errorf("setuid %d: %w", u.Uid, e)
	}
	return nil
}
