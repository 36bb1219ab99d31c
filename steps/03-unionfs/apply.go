// Applying a tar archive to a directory, safely.
//
// Every path is resolved by the kernel inside the target directory:
// openat2(2) with RESOLVE_IN_ROOT treats the directory as "/", so neither
// "..", nor an absolute symlink, nor a chain of relative ones can lead out
// of it. The entry's own last component is never followed: it is removed
// and made anew. Entries that name ".." are refused outright, and device
// nodes unless the caller allows them.

package unionfs

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"golang.org/x/sys/unix"

	namespaces "mini/steps/01-namespaces"
)

// Whiteout names in layer archives.
const (
	WhiteoutPrefix = ".wh."
	WhiteoutOpaque = ".wh..wh..opq"
	opaqueXattr    = "trusted.overlay.opaque"
)

// ApplyOptions say how an archive is applied.
type ApplyOptions struct {
	// Whiteouts turns .wh. entries into overlayfs whiteouts: for layers.
	Whiteouts bool
	// AllowDevices lets the archive make character and block devices.
	AllowDevices bool
	// Owner, when set, owns everything made instead of the archive's
	// owners (docker cp without -a).
	Owner *[2]int
}

// applier holds the target directory open while an archive is applied.
type applier struct {
	root int // the target directory
	opts ApplyOptions
	dirs []*tar.Header // directory times are set last: entries change them
}

// Apply extracts the tar stream r into dir.
func Apply(dir string, r io.Reader, opts ApplyOptions) error {
	root, err := unix.Open(dir, unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	defer unix.Close(root)
	a := &applier{root: root, opts: opts}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read archive: %w", err)
		}
		if err := a.entry(hdr, tr); err != nil {
			return fmt.Errorf("%s: %w", hdr.Name, err)
		}
	}
	return a.setDirTimes()
}

// cleanName checks an entry's name and returns it relative to the root.
func cleanName(name string) (string, error) {
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", fmt.Errorf("refusing a path that climbs out with ..")
		}
	}
	if strings.ContainsRune(name, 0) {
		return "", fmt.Errorf("refusing a path with a NUL byte")
	}
	return strings.TrimPrefix(path.Clean("/"+name), "/"), nil
}

// inRoot opens rel inside the root, resolved as if the root were "/".
func (a *applier) inRoot(rel string, flags uint64) (int, error) {
	return namespaces.OpenInRoot(a.root, rel, flags)
}

// parentOf opens the directory that will hold rel, making missing ones.
func (a *applier) parentOf(rel string) (int, error) {
	dir := path.Dir(rel)
	if dir == "." {
		dir = ""
	}
	fd, err := a.inRoot(dir, unix.O_PATH|unix.O_DIRECTORY)
	if !errors.Is(err, unix.ENOENT) {
		return fd, err
	}
	if err := a.mkdirAll(dir); err != nil {
		return -1, err
	}
	return a.inRoot(dir, unix.O_PATH|unix.O_DIRECTORY)
}

// mkdirAll makes each missing directory of rel, one level at a time.
func (a *applier) mkdirAll(rel string) error {
	parts := strings.Split(rel, "/")
	for i := range parts {
		parent, err := a.inRoot(strings.Join(parts[:i], "/"), unix.O_PATH|unix.O_DIRECTORY)
		if err != nil {
			return err
		}
		err = unix.Mkdirat(parent, parts[i], 0o755)
		unix.Close(parent)
		if err != nil && !errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("make directory %s: %w", strings.Join(parts[:i+1], "/"), err)
		}
	}
	return nil
}

func (a *applier) entry(hdr *tar.Header, body io.Reader) error {
	rel, err := cleanName(hdr.Name)
	if err != nil || rel == "" {
		return err // the root itself keeps its own metadata
	}
	parent, err := a.parentOf(rel)
	if err != nil {
		return err
	}
	defer unix.Close(parent)
	base := path.Base(rel)
	if a.opts.Whiteouts && strings.HasPrefix(base, WhiteoutPrefix) {
		return a.whiteout(parent, rel, base)
	}
	if err := replaceable(parent, base, hdr.Typeflag == tar.TypeDir); err != nil {
		return err
	}
	if err := a.create(parent, base, hdr, body); err != nil {
		return err
	}
	if hdr.Typeflag == tar.TypeLink {
		return nil // a hard link shares its target's metadata
	}
	if hdr.Typeflag == tar.TypeDir {
		a.dirs = append(a.dirs, hdr)
	}
	if a.opts.Owner != nil {
		hdr.Uid, hdr.Gid = a.opts.Owner[0], a.opts.Owner[1]
	}
	return setMetadata(parent, base, hdr)
}

// replaceable removes what stands at base, as a later tar entry replaces
// an earlier one; a directory stays when a directory replaces it.
func replaceable(parent int, base string, isDir bool) error {
	var st unix.Stat_t
	err := unix.Fstatat(parent, base, &st, unix.AT_SYMLINK_NOFOLLOW)
	if errors.Is(err, unix.ENOENT) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT == unix.S_IFDIR {
		if isDir {
			return nil
		}
		return unix.Unlinkat(parent, base, unix.AT_REMOVEDIR)
	}
	return unix.Unlinkat(parent, base, 0)
}

// create makes the entry itself.
func (a *applier) create(parent int, base string, hdr *tar.Header, body io.Reader) error {
	switch hdr.Typeflag {
	case tar.TypeDir:
		if err := unix.Mkdirat(parent, base, 0o700); err != nil && !errors.Is(err, unix.EEXIST) {
			return err
		}
		return nil
	case tar.TypeReg:
		return writeFile(parent, base, body)
	case tar.TypeSymlink:
		// The target is only text; it is resolved later, inside the root.
		return unix.Symlinkat(hdr.Linkname, parent, base)
	case tar.TypeLink:
		return a.hardlink(parent, base, hdr.Linkname)
	case tar.TypeFifo:
		return unix.Mknodat(parent, base, unix.S_IFIFO|0o600, 0)
	case tar.TypeChar, tar.TypeBlock:
		if !a.opts.AllowDevices {
			return fmt.Errorf("refusing a device node")
		}
		mode := uint32(unix.S_IFCHR)
		if hdr.Typeflag == tar.TypeBlock {
			mode = unix.S_IFBLK
		}
		return unix.Mknodat(parent, base, mode|0o600, int(unix.Mkdev(uint32(hdr.Devmajor), uint32(hdr.Devminor))))
	}
	return nil // global headers and the like: nothing to make
}

func writeFile(parent int, base string, body io.Reader) error {
	fd, err := unix.Openat(parent, base, unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd), base)
	defer f.Close()
	_, err = io.Copy(f, body)
	return err
}

// hardlink links base to target, which is resolved inside the root: a link
// to a file outside the layer is impossible, not merely refused.
func (a *applier) hardlink(parent int, base, target string) error {
	rel, err := cleanName(target)
	if err != nil {
		return err
	}
	src, err := a.inRoot(rel, unix.O_PATH|unix.O_NOFOLLOW)
	if err != nil {
		return fmt.Errorf("hard link target %s: %w", target, err)
	}
	defer unix.Close(src)
	return unix.Linkat(src, "", parent, base, unix.AT_EMPTY_PATH)
}

// whiteout records a deletion the way overlayfs reads it: .wh.NAME
// becomes a 0/0 character device NAME; .wh..wh..opq marks its directory
// opaque (the trusted.overlay.opaque xattr), hiding everything below it.
// Lab 04 writes it: only a layered image has .wh. entries to apply.
//
//lab:04 turn .wh.NAME into a 0/0 character device NAME, and .wh..wh..opq into the opaque xattr on its directory
func (a *applier) whiteout(parent int, rel, base string) error {
	if base == WhiteoutOpaque {
		dir, err := a.inRoot(path.Dir(rel), unix.O_RDONLY|unix.O_DIRECTORY)
		if err != nil {
			return err
		}
		defer unix.Close(dir)
		return unix.Fsetxattr(dir, opaqueXattr, []byte("y"), 0)
	}
	if strings.HasPrefix(base, WhiteoutPrefix+WhiteoutPrefix) {
		return nil // other AUFS metadata: nothing to do on overlayfs
	}
	name := strings.TrimPrefix(base, WhiteoutPrefix)
	if err := replaceable(parent, name, false); err != nil {
		return err
	}
	return unix.Mknodat(parent, name, unix.S_IFCHR, 0) // a 0/0 device: "deleted"
}

// setMetadata gives the entry its owner, mode, extended attributes and
// times, in that order: chown clears set-uid bits, so the mode comes after.
func setMetadata(parent int, base string, hdr *tar.Header) error {
	if err := unix.Fchownat(parent, base, hdr.Uid, hdr.Gid, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fmt.Errorf("chown: %w", err)
	}
	if hdr.Typeflag == tar.TypeSymlink {
		return setTimes(parent, base, hdr)
	}
	if err := unix.Fchmodat(parent, base, uint32(hdr.Mode)&0o7777, 0); err != nil {
		return fmt.Errorf("chmod: %w", err)
	}
	if err := setXattrs(parent, base, hdr); err != nil {
		return err
	}
	return setTimes(parent, base, hdr)
}

// setXattrs sets the extended attributes a PAX archive carries.
func setXattrs(parent int, base string, hdr *tar.Header) error {
	for key, value := range hdr.PAXRecords {
		name, ok := strings.CutPrefix(key, "SCHILY.xattr.")
		if !ok {
			continue
		}
		fd, err := unix.Openat(parent, base, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
		if err != nil {
			return err
		}
		err = unix.Fsetxattr(fd, name, []byte(value), 0)
		unix.Close(fd)
		// Not every filesystem takes every namespace of attribute (tmpfs
		// before 6.6 has no user.*); like Docker, go on without it.
		if err != nil && !errors.Is(err, unix.ENOTSUP) {
			return fmt.Errorf("set xattr %s: %w", name, err)
		}
	}
	return nil
}

func setTimes(parent int, base string, hdr *tar.Header) error {
	at := hdr.AccessTime
	if at.IsZero() {
		at = hdr.ModTime
	}
	ts := []unix.Timespec{unix.NsecToTimespec(at.UnixNano()), unix.NsecToTimespec(hdr.ModTime.UnixNano())}
	return unix.UtimesNanoAt(parent, base, ts, unix.AT_SYMLINK_NOFOLLOW)
}

// setDirTimes sets directories' times once nothing more is added to them.
func (a *applier) setDirTimes() error {
	for i := len(a.dirs) - 1; i >= 0; i-- {
		hdr := a.dirs[i]
		rel, _ := cleanName(hdr.Name)
		parent, err := a.parentOf(rel)
		if err != nil {
			return err
		}
		err = setTimes(parent, path.Base(rel), hdr)
		unix.Close(parent)
		if err != nil {
			return fmt.Errorf("%s: %w", hdr.Name, err)
		}
	}
	return nil
}
