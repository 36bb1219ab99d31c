// Masked and read-only paths.
//
// A container's /proc and /sys are the kernel's real ones, and some of their
// files describe or control the whole machine: /proc/kcore is the host's
// memory, /proc/sysrq-trigger can reboot it, /proc/sys/* tunes the kernel.
// Namespaces do not cover them. Docker therefore hides some (a bind mount of
// /dev/null over a file, an empty read-only tmpfs over a directory) and
// makes others read-only (a bind mount of the path onto itself, remounted
// read-only). --privileged skips all of this.

package namespaces

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// MaskedPaths are hidden from the container.
var MaskedPaths = []string{
	"/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi", "/sys/firmware",
}

// ReadonlyPaths can be read but not written in the container.
var ReadonlyPaths = []string{
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
}

func maskPaths() error {
	for _, path := range MaskedPaths {
		if err := maskPath(path); err != nil {
			return err
		}
	}
	for _, path := range ReadonlyPaths {
		if err := readonlyPath(path); err != nil {
			return err
		}
	}
	return nil
}

// maskPath hides one path; a path this kernel does not have is skipped.
//
//lab:01 hide path: a tmpfs over a directory, /dev/null over a file
func maskPath(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mask %s: %w", path, err)
	}
	if fi.IsDir() {
		err = unix.Mount("tmpfs", path, "tmpfs", unix.MS_RDONLY, "size=0")
	} else {
		err = unix.Mount("/dev/null", path, "", unix.MS_BIND, "")
	}
	if err != nil {
		return fmt.Errorf("mask %s: %w", path, err)
	}
	return nil
}

// readonlyPath bind-mounts path onto itself and remounts the bind read-only.
// A bind remount replaces the mount's flags, so the ones it had (nosuid,
// nodev, noexec from /proc) are read back with statfs and kept.
//
//lab:01 make path read-only with a bind mount remounted read-only, keeping its other flags
func readonlyPath(path string) error {
	if err := unix.Mount(path, path, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		if errors.Is(err, unix.ENOENT) {
			return nil
		}
		return fmt.Errorf("bind %s read-only: %w", path, err)
	}
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return fmt.Errorf("statfs %s: %w", path, err)
	}
	flags := unix.MS_BIND | unix.MS_REMOUNT | unix.MS_RDONLY | mountFlagsOf(st.Flags)
	if err := unix.Mount(path, path, "", uintptr(flags), ""); err != nil {
		return fmt.Errorf("remount %s read-only: %w", path, err)
	}
	return nil
}

// mountFlagsOf maps statfs's ST_* flags to the MS_* flags they came from.
func mountFlagsOf(st int64) int {
	pairs := [][2]int{
		{unix.ST_NOSUID, unix.MS_NOSUID}, {unix.ST_NODEV, unix.MS_NODEV},
		{unix.ST_NOEXEC, unix.MS_NOEXEC}, {unix.ST_NOATIME, unix.MS_NOATIME},
		{unix.ST_NODIRATIME, unix.MS_NODIRATIME}, {unix.ST_RELATIME, unix.MS_RELATIME},
	}
	flags := 0
	for _, p := range pairs {
		if int(st)&p[0] != 0 {
			flags |= p[1]
		}
	}
	return flags
}
