// Which devices the container may use.
//
// The container's /dev holds only harmless devices, but that is not enough:
// root in a container has CAP_MKNOD (Docker's default set), so it can make
// a node for any device number, the host's disk or console included, and
// open it. The devices controller closes that: the kernel checks every open
// and mknod of a device node against the group's list. Docker's list lets a
// container make any node (m) but read and write only its own few devices.
//
// v1 keeps the list in files: write "a" to devices.deny to forbid all, then
// each allowed rule to devices.allow. v2 has no such files: it runs a small
// eBPF program attached to the group for every device access, which answers
// 1 (allow) or 0 (deny). devices_bpf.go builds that program from the same
// rules.

package cgroups

import "fmt"

// Wildcard stands for any major or minor number.
const Wildcard = -1

// DeviceRule allows access to devices of a type ('c' character, 'b' block,
// 'a' both) and numbers; Access is a subset of "rwm" (read, write, mknod).
type DeviceRule struct {
	Type         byte
	Major, Minor int64
	Access       string
}

// DefaultDeviceRules are Docker's: make any node; use only null, zero,
// full, random, urandom, tty, console, ptmx, the pseudo-terminals, and tun.
var DefaultDeviceRules = []DeviceRule{
	{'c', Wildcard, Wildcard, "m"}, {'b', Wildcard, Wildcard, "m"},
	{'c', 1, 3, "rwm"}, {'c', 1, 5, "rwm"}, {'c', 1, 7, "rwm"},
	{'c', 1, 8, "rwm"}, {'c', 1, 9, "rwm"},
	{'c', 5, 0, "rwm"}, {'c', 5, 1, "rwm"}, {'c', 5, 2, "rwm"},
	{'c', 136, Wildcard, "rwm"}, {'c', 10, 200, "rwm"},
}

// String is the rule as v1's devices.allow reads it: "c 1:3 rwm".
func (r DeviceRule) String() string {
	num := func(n int64) string {
		if n == Wildcard {
			return "*"
		}
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%c %s:%s %s", r.Type, num(r.Major), num(r.Minor), r.Access)
}
