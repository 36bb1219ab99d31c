// Bind mounts from the host: how a volume reaches the container.
//
// A bind mount shows a directory (or file) that already exists somewhere
// else. Its source is a host path, so it is made before pivot_root, while
// the host's tree is still in this mount namespace. Its target is a path
// in the container's root, and the image decides what that path holds: if
// /data were a symlink to /etc on the host... it must not matter. So the
// target is opened with openat2(RESOLVE_IN_ROOT), which resolves it inside
// the new root as the container will see it, and the mount is made onto
// that open file through /proc/self/fd/N (runc does the same).

package namespaces

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// mountBinds makes every bind under rootfs.
func mountBinds(rootfs string, binds []Bind) error {
	if len(binds) == 0 {
		return nil
	}
	root, err := unix.Open(rootfs, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open rootfs %s: %w", rootfs, err)
	}
	defer unix.Close(root)
	for _, b := range binds {
		if err := mountBind(root, b); err != nil {
			return err
		}
	}
	return nil
}

func mountBind(root int, b Bind) error {
	fi, err := os.Stat(b.Source)
	if err != nil {
		return fmt.Errorf("bind source %s: %w", b.Source, err)
	}
	target, err := makeTarget(root, b.Target, fi.IsDir())
	if err != nil {
		return fmt.Errorf("bind target %s: %w", b.Target, err)
	}
	defer unix.Close(target)
	where := fmt.Sprintf("/proc/self/fd/%d", target)
	if err := unix.Mount(b.Source, where, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("bind %s on %s: %w", b.Source, b.Target, err)
	}
	if !b.ReadOnly {
		return nil
	}
	// The new mount is on top of the path now: reach it by the path,
	// resolved inside the root again.
	fd, err := OpenInRoot(root, b.Target, unix.O_PATH)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	where = fmt.Sprintf("/proc/self/fd/%d", fd)
	if err := unix.Mount("", where, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("make %s read-only: %w", b.Target, err)
	}
	return nil
}

// makeTarget opens the target inside the root, making it (a directory, or
// an empty file for a file bind) and its parents when missing. Missing
// parts are made where the container would look for them: at the end of
// any symlink on the way, followed inside the root.
func makeTarget(root int, target string, dir bool) (int, error) {
	rel, err := resolveInRoot(root, target)
	if err != nil {
		return -1, err
	}
	parts := strings.Split(rel, "/")
	for i := 1; i <= len(parts) && rel != ""; i++ {
		parent, err := OpenInRoot(root, strings.Join(parts[:i-1], "/"), unix.O_PATH|unix.O_DIRECTORY)
		if err != nil {
			return -1, err
		}
		name := parts[i-1]
		if i < len(parts) || dir {
			err = unix.Mkdirat(parent, name, 0o755)
		} else {
			var fd int
			fd, err = unix.Openat(parent, name, unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0o644)
			if err == nil {
				unix.Close(fd)
			}
		}
		unix.Close(parent)
		if err != nil && !errors.Is(err, unix.EEXIST) {
			return -1, err
		}
	}
	return OpenInRoot(root, rel, unix.O_PATH)
}

// resolveInRoot follows path inside root one component at a time, as the
// kernel would with root as "/", and returns it with every symlink replaced
// by where it leads, so that what is missing can be made there.
func resolveInRoot(root int, path string) (string, error) {
	var done []string
	todo := strings.Split(path, "/")
	for links := 0; len(todo) > 0; {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		link, err := readlinkIn(root, strings.Join(done, "/"), c)
		if err != nil { // not a symlink, or not there (yet)
			done = append(done, c)
			continue
		}
		if links++; links > 40 {
			return "", fmt.Errorf("%s: too many levels of symbolic links", path)
		}
		if strings.HasPrefix(link, "/") {
			done = nil
		}
		todo = append(strings.Split(link, "/"), todo...)
	}
	return strings.Join(done, "/"), nil
}

// ResolveInRoot is path under the directory root with every symlink
// followed inside root, never beyond, as in a container whose root it is:
// the path, relative to root, that a build's COPY reads (step 06).
func ResolveInRoot(root int, path string) (string, error) { return resolveInRoot(root, path) }

// readlinkIn reads the symlink name in the directory dir under root.
func readlinkIn(root int, dir, name string) (string, error) {
	parent, err := OpenInRoot(root, dir, unix.O_PATH|unix.O_DIRECTORY)
	if err != nil {
		return "", err
	}
	defer unix.Close(parent)
	buf := make([]byte, 4096)
	n, err := unix.Readlinkat(parent, name, buf)
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// OpenInRoot opens rel under the directory root as a container whose root
// it is will see it: symlinks and ".." resolve inside root, never beyond
// (openat2 with RESOLVE_IN_ROOT). Step 03 resolves archive entries with it.
func OpenInRoot(root int, rel string, flags uint64) (int, error) {
	rel = strings.TrimPrefix(filepath.Clean("/"+rel), "/")
	if rel == "" {
		rel = "."
	}
	how := &unix.OpenHow{Flags: flags | unix.O_CLOEXEC, Resolve: unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_MAGICLINKS}
	// With "..", the kernel answers EAGAIN when a rename or mount anywhere
	// raced with the lookup (it cannot then prove ".." stayed inside); the
	// lookup is safe to try again (openat2(2)).
	for try := 0; ; try++ {
		fd, err := unix.Openat2(root, rel, how)
		if err != unix.EAGAIN || try == 100 {
			return fd, err
		}
	}
}
