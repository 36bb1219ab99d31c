// A read-only handle on the binary that runs as the container's init
// (mini-init, or mini itself).
//
// Why not simply run /proc/self/exe? In 2019 (CVE-2019-5736) a container
// could make the runtime execute inside it and then open /proc/PID/exe of
// that process: a handle on the host's runtime binary. Writing through it
// replaced runc on the host, and the next container start ran the attacker's
// code as root. So the child must run a file that nobody can write:
//
//   - sealedOverlay (runc 1.2's way): an overlayfs made only of read-only
//     lower layers, one of them the binary's directory. Such an overlay has
//     no upper layer to write to, and it is never attached to any mount
//     table (fsmount returns it as a file descriptor), so no one can remount
//     it writable either. It costs a mount, not a copy.
//   - sealedMemfd (runc 1.0's way, the fallback for kernels without the new
//     mount API): copy the binary into a memfd, an anonymous file in memory,
//     and seal it against writes. It costs a copy of the binary per start.
//
// Either way /proc/PID/exe of the child points at a file no one can change.

package namespaces

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// SealBinary returns a read-only handle on the init binary: bin, or the
// running binary when bin is empty. Start executes it as /proc/self/fd/N.
// A caller that starts containers often can seal it once, ahead of time,
// and pass it in Options.Init.
func SealBinary(bin string) (*os.File, error) { return sealedBinary(bin) }

// sealedBinary is SealBinary; the caller closes the handle after the start.
func sealedBinary(bin string) (*os.File, error) {
	if bin == "" {
		self, err := os.Readlink("/proc/self/exe")
		if err != nil {
			return nil, err
		}
		bin = self
	}
	bin, err := filepath.Abs(bin)
	if err != nil {
		return nil, err
	}
	if f, err := sealedOverlay(bin); err == nil {
		return f, nil
	}
	return sealedMemfd(bin)
}

// sealedOverlay opens bin through a detached lower-only overlayfs.
func sealedOverlay(bin string) (*os.File, error) {
	// Overlayfs needs two lower layers to run with no upper layer at all;
	// the second is an empty directory, needed only until the mount exists.
	empty, err := emptyDirBeside(filepath.Dir(bin))
	if err != nil {
		return nil, err
	}
	defer os.Remove(empty)

	ctx, err := unix.Fsopen("overlay", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("fsopen overlay: %w", err)
	}
	defer unix.Close(ctx)
	lower := escapeLowerdir(filepath.Dir(bin)) + ":" + escapeLowerdir(empty)
	if err := unix.FsconfigSetString(ctx, "lowerdir", lower); err != nil {
		return nil, fmt.Errorf("overlay lowerdir=%s: %w", lower, err)
	}
	unix.FsconfigSetString(ctx, "xino", "off") // not needed; avoids kernel log noise
	if err := unix.FsconfigCreate(ctx); err != nil {
		return nil, fmt.Errorf("create overlay: %w", err)
	}
	mnt, err := unix.Fsmount(ctx, unix.FSMOUNT_CLOEXEC, unix.MOUNT_ATTR_RDONLY|unix.MOUNT_ATTR_NODEV|unix.MOUNT_ATTR_NOSUID)
	if err != nil {
		return nil, fmt.Errorf("fsmount overlay: %w", err)
	}
	defer unix.Close(mnt)
	fd, err := unix.Openat(mnt, filepath.Base(bin), unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s in sealed overlay: %w", bin, err)
	}
	return os.NewFile(uintptr(fd), "sealed:"+bin), nil
}

// emptyDirBeside makes an empty directory that neither contains dir nor
// lies inside it: overlayfs refuses layers that overlap (ELOOP). It is made
// on a tmpfs when it can be: there it is made and removed in memory, while
// on a disk removing a directory can wait for the disk (a discard, on a
// filesystem mounted with -o discard).
func emptyDirBeside(dir string) (string, error) {
	for _, base := range []string{"/dev/shm", "/run", os.TempDir()} {
		if !overlaps(base, dir) {
			return os.MkdirTemp(base, "mini-empty-")
		}
	}
	return "", fmt.Errorf("no place for an empty directory beside %s", dir)
}

// overlaps says whether one of two clean absolute paths contains the other.
func overlaps(a, b string) bool {
	a, b = filepath.Clean(a)+"/", filepath.Clean(b)+"/"
	return strings.HasPrefix(a, b) || strings.HasPrefix(b, a)
}

// escapeLowerdir escapes the characters overlayfs treats as separators.
func escapeLowerdir(path string) string {
	return strings.ReplaceAll(strings.ReplaceAll(path, `\`, `\\`), `:`, `\:`)
}

// allSeals forbids any later change to the memfd's size or contents, and any
// change to the seals themselves.
const allSeals = unix.F_SEAL_SEAL | unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE

// sealedMemfd returns a sealed in-memory copy of bin.
func sealedMemfd(bin string) (*os.File, error) {
	self, err := os.Open(bin)
	if err != nil {
		return nil, fmt.Errorf("open init binary: %w", err)
	}
	defer self.Close()

	fd, err := unix.MemfdCreate("mini-init", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("memfd_create: %w", err)
	}
	clone := os.NewFile(uintptr(fd), "memfd:mini-init")
	if _, err := io.Copy(clone, self); err != nil {
		clone.Close()
		return nil, fmt.Errorf("copy own binary into memfd: %w", err)
	}
	if _, err := unix.FcntlInt(clone.Fd(), unix.F_ADD_SEALS, allSeals); err != nil {
		clone.Close()
		return nil, fmt.Errorf("seal memfd: %w", err)
	}
	return clone, nil
}
