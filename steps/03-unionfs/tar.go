// Writing a directory tree as a tar stream: the other half of apply.go.
// Symlinks are stored, never followed; hard links are stored once and
// linked after; owners, modes, times and extended attributes are kept.

package unionfs

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// WriteTar writes the tree (or the single file) at dir to w; names in the
// archive start with prefix (such as "" for an export, or the base name of
// what is copied). Like tar --one-file-system it does not descend into
// other filesystems mounted below (a container's /proc, /dev, volumes):
// their mount points are written, empty, as docker export does.
func WriteTar(w io.Writer, dir, prefix string) error {
	tw := tar.NewWriter(w)
	links := map[[2]uint64]string{} // (device, inode) -> first name
	var rootDev uint64
	// The top is followed (dir may be a /proc/self/fd/N link to it); what is
	// below it never is. A trailing slash makes the walk follow a directory.
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		dir = strings.TrimSuffix(dir, "/") + "/"
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		name := filepath.ToSlash(filepath.Join(prefix, rel))
		top := p == dir
		if top {
			rootDev = deviceOf(p)
			if d.IsDir() && prefix == "" {
				return nil // an export: the root itself has no entry
			}
		}
		if err := writeEntry(tw, p, name, top, links); err != nil {
			return err
		}
		if d.IsDir() && !top && deviceOf(p) != rootDev {
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

func writeEntry(tw *tar.Writer, p, name string, top bool, links map[[2]uint64]string) error {
	stat := os.Lstat
	if top {
		stat = os.Stat
	}
	fi, err := stat(p)
	if err != nil {
		return err
	}
	var target string
	if fi.Mode()&fs.ModeSymlink != 0 {
		if target, err = os.Readlink(p); err != nil {
			return err
		}
	}
	hdr, err := tar.FileInfoHeader(fi, target)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	hdr.Name, hdr.Uname, hdr.Gname = name, "", ""
	if fi.IsDir() {
		hdr.Name += "/"
	}
	hdr.Format = tar.FormatPAX
	hdr.PAXRecords = xattrRecords(p)
	st := fi.Sys().(*syscall.Stat_t)
	if fi.Mode().IsRegular() && st.Nlink > 1 {
		key := [2]uint64{uint64(st.Dev), st.Ino}
		if first, ok := links[key]; ok {
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
		} else {
			links[key] = name
		}
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if hdr.Typeflag != tar.TypeReg {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}

func deviceOf(p string) uint64 {
	var st unix.Stat_t
	unix.Lstat(p, &st)
	return st.Dev
}

// xattrRecords reads a file's extended attributes as PAX records.
func xattrRecords(p string) map[string]string {
	buf := make([]byte, 4096)
	n, err := unix.Llistxattr(p, buf)
	if err != nil || n == 0 {
		return nil
	}
	recs := map[string]string{}
	for _, name := range strings.Split(strings.TrimRight(string(buf[:n]), "\x00"), "\x00") {
		if strings.HasPrefix(name, "trusted.overlay.") {
			continue // overlayfs's own bookkeeping, not the file's
		}
		val := make([]byte, 4096)
		if m, err := unix.Lgetxattr(p, name, val); err == nil {
			recs["SCHILY.xattr."+name] = string(val[:m])
		}
	}
	return recs
}
