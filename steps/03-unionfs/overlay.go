// A container's root as an overlay: the layers below, read-only, and the
// container's own upper directory on top.

package unionfs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// overlayMagic is statfs's f_type for an overlay filesystem.
const overlayMagic = 0x794c7630

// Layers are the directories of one overlay mount.
type Layers struct {
	Lower []string // read-only, the top layer first
	Upper string   // the container's writes
	Work  string   // overlayfs's scratch space, on Upper's filesystem
	// Volatile skips the syncs of Upper's filesystem, for a container
	// whose writes are thrown away when it exits (doc.go).
	Volatile bool
}

// MountData returns the overlay's mount options and the directory they
// must be read from. mount(2) takes at most one page of options; an image
// with many layers under a long state root does not fit, so then the lower
// directories are named relative to the directory that holds them all (the
// caller changes into dir around the mount). That holds some 50 layers
// with 64-hex names; Docker's overlay2 driver goes further with 26-letter
// link names, which step 04 can adopt if images need more.
func (l Layers) MountData() (data, dir string) {
	data = l.data(l.Lower)
	if len(data) < os.Getpagesize()-1 {
		return data, ""
	}
	dir = commonDir(l.Lower)
	rel := make([]string, len(l.Lower))
	for i, p := range l.Lower {
		rel[i], _ = filepath.Rel(dir, p)
	}
	return l.data(rel), dir
}

func (l Layers) data(lower []string) string {
	esc := make([]string, len(lower))
	for i, p := range lower {
		esc[i] = strings.ReplaceAll(strings.ReplaceAll(p, `\`, `\\`), `:`, `\:`)
	}
	data := fmt.Sprintf("lowerdir=%s,upperdir=%s,workdir=%s", strings.Join(esc, ":"), l.Upper, l.Work)
	if l.Volatile {
		data += ",volatile"
	}
	return data
}

// commonDir is the longest directory that holds every path.
func commonDir(paths []string) string {
	dir := filepath.Dir(paths[0])
	for _, p := range paths[1:] {
		for dir != "/" && !strings.HasPrefix(p, dir+"/") {
			dir = filepath.Dir(dir)
		}
	}
	return dir
}

// CheckUpper refuses an upper directory the kernel would refuse: one that
// sits on an overlay itself (mini inside a Docker container, say).
func CheckUpper(dir string) error {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return fmt.Errorf("statfs %s: %w", dir, err)
	}
	if st.Type == overlayMagic {
		return fmt.Errorf("%s is on an overlay filesystem, which cannot hold a container's upper layer: put mini's state (--root) on another filesystem, such as a volume", dir)
	}
	return nil
}

// CopyRootAttrs gives upper the mode and owner of the lower root: the
// overlay's "/" shows the upper directory's own, and a root readable by
// root alone would lock every other user out of the container.
func CopyRootAttrs(lower, upper string) error {
	var st unix.Stat_t
	if err := unix.Stat(lower, &st); err != nil {
		return fmt.Errorf("stat %s: %w", lower, err)
	}
	if err := os.Chown(upper, int(st.Uid), int(st.Gid)); err != nil {
		return err
	}
	return os.Chmod(upper, os.FileMode(st.Mode&0o777)|modeBits(st.Mode))
}

// modeBits carries the sticky, set-uid and set-gid bits over to os.FileMode.
func modeBits(m uint32) os.FileMode {
	var fm os.FileMode
	if m&unix.S_ISVTX != 0 {
		fm |= os.ModeSticky
	}
	if m&unix.S_ISUID != 0 {
		fm |= os.ModeSetuid
	}
	if m&unix.S_ISGID != 0 {
		fm |= os.ModeSetgid
	}
	return fm
}
