// The layer of a COPY or ADD, written as a tar: the sources' files under
// the destination, and the directories above them as the image has them
// (dest.go says why).

package dockerfile

import (
	"archive/tar"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// copier writes a COPY's layer, and digests its content for the cache.
type copier struct {
	tw         *tar.Writer
	dest       *destination
	owner      *[2]int // --chown's, else root's
	mode       *int64  // --chmod's, else the source's
	hash       hash.Hash
	made       map[string]bool              // the directories written
	follow     func(string) (string, error) // a source named by a symlink: what it points to
	ignored    func(path string) bool       // .dockerignore's, for the context
	exceptions bool                         // it has "!" patterns
}

// dirs writes the directory dir (resolved in the image) and those above
// it that the layer has not written yet: as the image has them, else new,
// 0755 and root's or --chown's, as Docker makes them.
func (c *copier) dirs(dir string) {
	if c.made == nil {
		c.made = map[string]bool{}
	}
	if dir == "/" || dir == "." || c.made[dir] {
		return
	}
	c.dirs(path.Dir(dir))
	c.made[dir] = true
	hdr := c.dest.header(dir)
	if hdr == nil {
		hdr = &tar.Header{Typeflag: tar.TypeDir, Mode: 0o755, ModTime: now()}
		if c.owner != nil {
			hdr.Uid, hdr.Gid = c.owner[0], c.owner[1]
		}
	}
	hdr.Name = strings.TrimPrefix(dir, "/") + "/"
	c.tw.WriteHeader(hdr)
}

// add copies the source src to dest (resolved in the image): a
// directory's contents into dest, a file to dest or, intoDir, into it, a
// local archive unpacked (ADD). A source named by a symlink is what the
// link points to, under the link's name.
func (c *copier) add(src, dest string, intoDir, isAdd bool) error {
	real, err := c.follow(src)
	if err != nil {
		return err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		c.dirs(dest)
		// A directory .dockerignore leaves out may hold an exception ("!"):
		// it is written only if something in it is.
		var held []string
		// The trailing slash: a source root reached through /proc/self/fd
		// (COPY --from) is a link there, and the walk must go into it.
		return filepath.WalkDir(real+"/", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(real, p)
			if c.ignored != nil && c.ignored(p) {
				if d.IsDir() && !c.exceptions {
					return filepath.SkipDir // nothing below can come back
				}
				if d.IsDir() {
					held = append(held, rel)
				}
				return nil
			}
			if rel == "." {
				return nil // dest itself: as the image has it, or new
			}
			for _, h := range held { // the held directories above p, first
				if strings.HasPrefix(rel, h+string(filepath.Separator)) && !c.made[path.Join(dest, filepath.ToSlash(h))] {
					if err := c.entry(filepath.Join(real, h), path.Join(dest, filepath.ToSlash(h))); err != nil {
						return err
					}
				}
			}
			return c.entry(p, path.Join(dest, filepath.ToSlash(rel)))
		})
	}
	if isAdd && isArchive(real) {
		return c.unpack(real, dest)
	}
	target := dest
	if intoDir {
		target = path.Join(dest, filepath.Base(src))
	}
	c.dirs(path.Dir(target))
	return c.entry(real, target)
}

// entry writes one file, directory or link.
func (c *copier) entry(src, name string) error {
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	link := ""
	if fi.Mode()&fs.ModeSymlink != 0 {
		if link, err = os.Readlink(src); err != nil {
			return err
		}
	}
	hdr, err := tar.FileInfoHeader(fi, link)
	if err != nil {
		return err
	}
	hdr.Name = strings.TrimPrefix(path.Clean(name), "/")
	if hdr.Name == "" || hdr.Name == "." {
		return nil // the destination's root keeps its own metadata
	}
	if fi.IsDir() {
		hdr.Name += "/"
		c.made[path.Clean("/"+name)] = true
	}
	hdr.Uname, hdr.Gname = "", ""
	if c.mode != nil && link == "" {
		hdr.Mode = *c.mode
	}
	if c.owner != nil {
		hdr.Uid, hdr.Gid = c.owner[0], c.owner[1]
	} else {
		hdr.Uid, hdr.Gid = 0, 0 // COPY makes files root's, as Docker does
	}
	fmt.Fprintf(c.hash, "%s %o %d %d %s\n", hdr.Name, hdr.Mode, hdr.Uid, hdr.Gid, link)
	if err := c.tw.WriteHeader(hdr); err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.MultiWriter(c.tw, c.hash), f)
	return err
}
