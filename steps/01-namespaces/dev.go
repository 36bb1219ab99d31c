// The container's /dev.
//
// The host's /dev holds every disk, every terminal and every piece of
// hardware; a container gets none of them. Docker gives it a small tmpfs
// with the handful of device nodes that programs expect to exist, a private
// devpts instance for its terminals, a /dev/shm for POSIX shared memory, a
// /dev/mqueue for POSIX message queues (of its own IPC namespace), and the
// conventional links into /proc/self/fd.

package namespaces

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// device is a character device node to create in /dev.
type device struct {
	name         string
	major, minor uint32
}

// defaultDevices are Docker's: nothing here reaches real hardware.
var defaultDevices = []device{
	{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7},
	{"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
}

// devLinks are the symlinks every Linux /dev has.
var devLinks = [][2]string{
	{"pts/ptmx", "/dev/ptmx"},
	{"/proc/self/fd", "/dev/fd"},
	{"/proc/self/fd/0", "/dev/stdin"},
	{"/proc/self/fd/1", "/dev/stdout"},
	{"/proc/self/fd/2", "/dev/stderr"},
}

func setupDev() error {
	if err := mountAt("tmpfs", "/dev", "tmpfs", unix.MS_NOSUID|unix.MS_STRICTATIME, "mode=755,size=65536k"); err != nil {
		return err
	}
	for _, d := range defaultDevices {
		path := "/dev/" + d.name
		if err := unix.Mknod(path, unix.S_IFCHR|0o666, int(unix.Mkdev(d.major, d.minor))); err != nil {
			return fmt.Errorf("mknod %s: %w", path, err)
		}
	}
	// newinstance: a devpts of our own, whose /dev/pts/N numbers and
	// terminals the host and other containers cannot see.
	if err := mountAt("devpts", "/dev/pts", "devpts", unix.MS_NOSUID|unix.MS_NOEXEC,
		"newinstance,ptmxmode=0666,mode=0620,gid=5"); err != nil {
		return err
	}
	if err := mountAt("shm", "/dev/shm", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC,
		"mode=1777,size=65536k"); err != nil {
		return err
	}
	if err := mountAt("mqueue", "/dev/mqueue", "mqueue", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		return err
	}
	for _, l := range devLinks {
		if err := os.Symlink(l[0], l[1]); err != nil {
			return fmt.Errorf("link %s -> %s: %w", l[1], l[0], err)
		}
	}
	return nil
}
