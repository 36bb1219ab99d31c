// A stopped container's filesystem, seen without mounting it anywhere.
//
// To read (export, cp out) or write (cp in) a container that is not
// running, its layers are joined by an overlay made with the new mount API:
// fsopen and fsconfig describe it, fsmount returns it as a file descriptor
// attached to no mount table at all. Nothing else sees it, and it vanishes
// when the descriptor is closed, even if mini is killed on the way.
// fsconfig takes values of at most 256 bytes, so each layer is named by a
// descriptor of its own (/proc/self/fd/N), which the kernel resolves there
// and then.

package unionfs

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	namespaces "mini/steps/01-namespaces"
)

// OpenView returns a descriptor of the root of the layers joined. With
// writable false the view is read-only and Upper is only the top lower
// layer; with writable true, writes go to Upper as in the container (the
// container must not be running: overlayfs lets one mount use an upper
// directory at a time).
func OpenView(l Layers, writable bool) (*os.File, error) {
	var fds []int
	defer func() {
		for _, fd := range fds {
			unix.Close(fd)
		}
	}()
	name := func(dir string) (string, error) {
		fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return "", fmt.Errorf("open layer %s: %w", dir, err)
		}
		fds = append(fds, fd)
		return fmt.Sprintf("/proc/self/fd/%d", fd), nil
	}
	lower := l.Lower
	if !writable {
		// Read-only: the upper directory is just the top layer. (A
		// lower-only overlay needs two layers; this always has them.)
		lower = append([]string{l.Upper}, lower...)
	}
	var names []string
	for _, dir := range lower {
		n, err := name(dir)
		if err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	opts := [][2]string{{"lowerdir", strings.Join(names, ":")}}
	if writable {
		up, err := name(l.Upper)
		if err != nil {
			return nil, err
		}
		work, err := name(l.Work)
		if err != nil {
			return nil, err
		}
		opts = append(opts, [2]string{"upperdir", up}, [2]string{"workdir", work})
	}
	return fsmountOverlay(opts, writable)
}

func fsmountOverlay(opts [][2]string, writable bool) (*os.File, error) {
	ctx, err := unix.Fsopen("overlay", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("fsopen overlay: %w", err)
	}
	defer unix.Close(ctx)
	for _, o := range opts {
		if err := unix.FsconfigSetString(ctx, o[0], o[1]); err != nil {
			return nil, fmt.Errorf("overlay %s=%s: %w", o[0], o[1], err)
		}
	}
	if err := unix.FsconfigCreate(ctx); err != nil {
		return nil, fmt.Errorf("create overlay view: %w", err)
	}
	attrs := unix.MOUNT_ATTR_NODEV | unix.MOUNT_ATTR_NOSUID
	if !writable {
		attrs |= unix.MOUNT_ATTR_RDONLY
	}
	mnt, err := unix.Fsmount(ctx, unix.FSMOUNT_CLOEXEC, attrs)
	if err != nil {
		return nil, fmt.Errorf("fsmount overlay view: %w", err)
	}
	return os.NewFile(uintptr(mnt), "overlay-view"), nil
}

// OpenLayers returns the root of an image's layers (top first) joined,
// read-only: the one directory itself for a single layer, which needs no
// overlay.
func OpenLayers(lower []string) (*os.File, error) {
	if len(lower) == 0 {
		return nil, fmt.Errorf("no layers to open")
	}
	if len(lower) == 1 {
		return os.OpenFile(lower[0], unix.O_PATH|unix.O_DIRECTORY, 0)
	}
	return OpenView(Layers{Upper: lower[0], Lower: lower[1:]}, false)
}

// OpenIn opens path under the root descriptor root, resolved as the
// container sees it (symlinks and ".." stay inside).
func OpenIn(root *os.File, path string, flags uint64) (*os.File, error) {
	fd, err := namespaces.OpenInRoot(int(root.Fd()), strings.TrimPrefix(path, "/"), flags)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

// FdPath is a path the kernel resolves to what f is open on; what lies
// below it is reached through f's own mount, even a detached one.
func FdPath(f *os.File) string { return fmt.Sprintf("/proc/self/fd/%d", f.Fd()) }
