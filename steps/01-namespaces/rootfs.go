// Giving the container its own root directory.
//
// The child starts in a new mount namespace that is a copy of the host's
// mount table. Three things turn that copy into the container's own:
//
//  1. Make every mount private. On systemd hosts "/" is a shared mount: a
//     mount or unmount under it propagates to its peers, so what the child
//     does would happen on the host too. pivot_root(2) refuses (EINVAL) to
//     move a root whose parent mount is shared, for that very reason.
//  2. pivot_root: make the root filesystem directory the new "/" and the
//     old root a mount under it. It needs the new root to be a mount point,
//     so the directory is first bind-mounted onto itself. pivot_root(".",
//     ".") stacks the old root on top of the new one at "/", which lets us
//     unmount it (MNT_DETACH) without needing a directory to park it in.
//  3. Mount fresh kernel filesystems: a /proc that shows only this PID
//     namespace, a read-only /sys, and a /dev of our own (dev.go).
//
// chroot(2) alone is not enough: it changes a process's view of "/" but
// the old root stays mounted and reachable (a root process can chroot back
// out). After pivot_root and the detach, the host's tree is simply not in
// the container's mount table.

package namespaces

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Mount flags Docker uses for the kernel filesystems.
const (
	procFlags = unix.MS_NOSUID | unix.MS_NOEXEC | unix.MS_NODEV
	sysFlags  = unix.MS_NOSUID | unix.MS_NOEXEC | unix.MS_NODEV | unix.MS_RDONLY
)

// enterRootfs makes rootfs the root of this mount namespace and removes the
// host's tree from it.
func enterRootfs(spec *Spec) error {
	rootfs := spec.Rootfs
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make mounts private: %w", err)
	}
	if err := mountRoot(rootfs, spec.RootfsMount); err != nil {
		return err
	}
	if err := mountBinds(rootfs, spec.Binds); err != nil {
		return err
	}
	return pivotInto(rootfs)
}

// pivotInto makes the mount rootfs this namespace's root, and detaches the
// old root from it, so no path in the container leads back to the host's
// tree. pivot_root(".", ".") stacks the old root under the new one at the
// same place; unmounting "." then takes the old one away.
//
//lab:01,fail pivot_root into rootfs and detach the old root (chroot is not enough: lab 01 says why)
func pivotInto(rootfs string) error {
	if err := unix.Chdir(rootfs); err != nil {
		return fmt.Errorf("chdir to rootfs %s: %w", rootfs, err)
	}
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root to %s: %w", rootfs, err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("detach old root: %w", err)
	}
	return unix.Chdir("/")
}

// mountRoot makes rootfs a mount point, as pivot_root needs: the Spec's
// root mount (an overlay), or else a bind of the directory onto itself.
func mountRoot(rootfs string, m *Mount) error {
	if m == nil {
		if err := unix.Mount(rootfs, rootfs, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return fmt.Errorf("bind rootfs %s onto itself: %w", rootfs, err)
		}
		return nil
	}
	if m.Dir != "" {
		if err := unix.Chdir(m.Dir); err != nil {
			return fmt.Errorf("chdir to %s for the root mount: %w", m.Dir, err)
		}
	}
	if err := unix.Mount(m.Source, rootfs, m.Type, m.Flags, m.Data); err != nil {
		return fmt.Errorf("mount %s root on %s: %w", m.Type, rootfs, err)
	}
	return nil
}

// makeRootReadonly remounts "/" read-only (--read-only); the mounts on top
// of it (/proc, /dev, volumes) keep their own flags.
func makeRootReadonly() error {
	if err := unix.Mount("", "/", "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY, ""); err != nil {
		return fmt.Errorf("make the root filesystem read-only: %w", err)
	}
	return nil
}

// mountKernelFilesystems mounts /proc, /sys and /dev inside the new root.
// They are mounted after pivot_root, so a symlink in the image (say /proc ->
// /etc) can only ever point inside the container.
func mountKernelFilesystems(privileged bool) error {
	if err := mountAt("proc", "/proc", "proc", procFlags, ""); err != nil {
		return err
	}
	flags := uintptr(sysFlags)
	if privileged {
		flags &^= unix.MS_RDONLY
	}
	if err := mountAt("sysfs", "/sys", "sysfs", flags, ""); err != nil {
		return err
	}
	return setupDev()
}

// mountAt makes the mount point directory if needed and mounts there.
func mountAt(source, target, fstype string, flags uintptr, data string) error {
	if err := os.MkdirAll(target, 0o755); err != nil {
		return fmt.Errorf("make mount point %s: %w", target, err)
	}
	if err := unix.Mount(source, target, fstype, flags, data); err != nil {
		return fmt.Errorf("mount %s on %s: %w", fstype, target, err)
	}
	return nil
}

// mountAll makes the Spec's extra mounts, in order.
func mountAll(mounts []Mount) error {
	for _, m := range mounts {
		if m.Flags&unix.MS_REMOUNT != 0 {
			if err := unix.Mount(m.Source, m.Target, m.Type, m.Flags, m.Data); err != nil {
				return fmt.Errorf("remount %s: %w", m.Target, err)
			}
			continue
		}
		if err := mountAt(m.Source, m.Target, m.Type, m.Flags, m.Data); err != nil {
			return err
		}
	}
	return nil
}
