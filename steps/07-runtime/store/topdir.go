// An optimisation, to skip on first reading: the directory of containers
// marked as the top of unrelated directory trees. MINI_PLAIN=1 turns it off
// (internal/fastpath). It buys a millisecond a start from a fresh state
// root, and three in a busy one, on an ext4 without a journal.

package store

import (
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"mini/internal/fastpath"
)

// fsTopdirFlag is FS_TOPDIR_FL (linux/fs.h), chattr's +T.
const fsTopdirFlag = 0x20000

// makeContainersDir makes the directory of containers, once, marked as the
// top of unrelated directory trees (chattr +T), as /home is meant to be.
// On ext4 that makes each container's directory start in a block group
// of its own choosing instead of next to the one before, and it matters
// on an ext4 without a journal: there, the inode allocator skips the
// inodes freed in the last minutes, looking at each in turn, so in one
// group where containers come and go by the thousand every new file costs
// more than the last. Other filesystems ignore the flag or refuse it.
func makeContainersDir(dir string) error {
	err := os.Mkdir(dir, 0o700)
	if errors.Is(err, os.ErrNotExist) {
		if err = os.MkdirAll(filepath.Dir(dir), 0o700); err == nil {
			err = os.Mkdir(dir, 0o700)
		}
	}
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fastpath.On() {
		return nil
	}
	if fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0); err == nil {
		if flags, err := unix.IoctlGetUint32(fd, unix.FS_IOC_GETFLAGS); err == nil {
			unix.IoctlSetPointerInt(fd, unix.FS_IOC_SETFLAGS, int(flags|fsTopdirFlag))
		}
		unix.Close(fd)
	}
	return nil
}
