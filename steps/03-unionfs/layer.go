// A container's upper directory as an image layer: the reverse of apply.go.
//
// What overlayfs keeps as whiteout devices and opaque attributes cannot
// travel in a portable tar, so they are written the way image layers write
// them: a 0/0 character device NAME becomes an empty file .wh.NAME, and a
// directory marked trusted.overlay.opaque=y gets an empty .wh..wh..opq
// inside it. Everything else is written as it is. Step 04 commits containers
// with this.

package unionfs

import (
	"archive/tar"
	"io"
	"io/fs"
	"path"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// WriteLayer writes the upper directory upper to w as a layer tar.
func WriteLayer(w io.Writer, upper string) error {
	tw := tar.NewWriter(w)
	links := map[[2]uint64]string{}
	err := filepath.WalkDir(upper, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == upper {
			return err
		}
		rel, _ := filepath.Rel(upper, p)
		name := filepath.ToSlash(rel)
		if isWhiteout(p, d) {
			dir, base := path.Split(name)
			return writeMarker(tw, dir+WhiteoutPrefix+base)
		}
		if err := writeEntry(tw, p, name, false, links); err != nil {
			return err
		}
		if d.IsDir() && isOpaque(p) {
			return writeMarker(tw, name+"/"+WhiteoutOpaque)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// writeMarker writes an empty file that stands for a deletion.
func writeMarker(tw *tar.Writer, name string) error {
	return tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Format: tar.FormatPAX})
}

func isOpaque(dir string) bool {
	buf := make([]byte, 1)
	n, err := unix.Lgetxattr(dir, opaqueXattr, buf)
	return err == nil && n == 1 && buf[0] == 'y'
}
