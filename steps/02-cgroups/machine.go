// Facts about the machine that limits are measured against.

package cgroups

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// SwapAccounting says whether the kernel can limit swap per group: the
// memory.memsw files on v1, memory.swap.max on v2. Without it --memory-swap
// cannot be honoured (Docker warns and goes on, and so does mini).
func SwapAccounting() bool {
	layout, err := DetectLayout()
	if err != nil {
		return false
	}
	if layout == Unified {
		found, _ := filepath.Glob(filepath.Join(Mountpoint, "*", "memory.swap.max"))
		return len(found) > 0
	}
	hier, err := v1Hierarchies()
	if err != nil {
		return false
	}
	h, ok := hier["memory"]
	if !ok {
		return false
	}
	_, err = os.Stat(filepath.Join(h.mountpoint, "memory.memsw.limit_in_bytes"))
	return err == nil
}

// machineMemory is the machine's RAM in bytes: the limit of an unlimited
// group, as Docker's stats show it.
func machineMemory() uint64 {
	var si unix.Sysinfo_t
	if err := unix.Sysinfo(&si); err != nil {
		return 0
	}
	return uint64(si.Totalram) * uint64(si.Unit)
}
