// A container's init layer: the files the runtime binds over the image's.
//
// The supervisor binds /etc/hostname, /etc/hosts and /etc/resolv.conf
// over the container's own (step 05), and a bind needs a file to be bound
// on. When the image has none, one must be made; made in the container's
// root it would land in the upper directory, and mini diff, mini commit
// and every RUN layer of a build would show files the container never
// wrote (Docker shows none). So, as Docker does, they are made in a
// layer of their own, between the image and the upper directory: the
// container's "init" layer. It is no part of the image and no part of the
// container's changes.

package runtime

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	unionfs "mini/steps/03-unionfs"
)

// boundFiles are the files the supervisor binds over the image's.
var boundFiles = []string{"hostname", "hosts", "resolv.conf"}

// makeInitLayer makes the init layer in dir: etc, as the image has it,
// with an empty file for each bound one the image lacks (one it has is
// bound on as it is, and mini cp of a stopped container still reads it).
// An image whose /etc is no directory gets none: the bind then makes its
// file where it can.
func makeInitLayer(dir string, lower []string) error {
	etc := filepath.Join(dir, "etc")
	if err := os.MkdirAll(etc, 0o755); err != nil {
		return err
	}
	for _, l := range lower {
		fi, err := os.Lstat(filepath.Join(l, "etc"))
		if err != nil {
			continue
		}
		if !fi.IsDir() {
			return os.RemoveAll(etc)
		}
		if err := unionfs.CopyRootAttrs(filepath.Join(l, "etc"), etc); err != nil {
			return err
		}
		break
	}
	for _, name := range boundFiles {
		if inLayers(lower, filepath.Join("etc", name)) {
			continue
		}
		f, err := os.OpenFile(filepath.Join(etc, name), os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		f.Close()
	}
	return nil
}

// inLayers says whether the layers (top first) show a file at rel: the
// first layer with an entry there decides, and a whiteout (a 0/0
// character device) says it was deleted.
func inLayers(lower []string, rel string) bool {
	for _, l := range lower {
		var st unix.Stat_t
		if unix.Lstat(filepath.Join(l, rel), &st) == nil {
			return st.Mode&unix.S_IFMT != unix.S_IFCHR || st.Rdev != 0
		}
	}
	return false
}

// lowerWithInit is the container's lower layers with its init layer on
// top, if it has one (containers made before mini had it do not).
func (c *Container) lowerWithInit() []string {
	if _, err := os.Stat(c.Dir.Init()); err != nil {
		return c.Lower
	}
	return append([]string{c.Dir.Init()}, c.Lower...)
}
