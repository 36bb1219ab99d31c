// COPY and ADD: a layer of files from the build context (or, COPY
// --from, another stage's or image's filesystem). ADD also unpacks a
// local tar archive into the destination.
//
// No source may lead outside the context: "COPY ../secret /" is refused,
// and symbolic links are copied as links, never followed out of it.

package dockerfile

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	unionfs "mini/steps/03-unionfs"
)

func (b *builder) copy(st *state, sd instructions.SourcesAndDest, from, chown string, isAdd bool, text string) error {
	root, closeRoot, err := b.sourceRoot(from)
	if err != nil {
		return err
	}
	defer closeRoot()
	cfg, err := st.img.ConfigFile()
	if err != nil {
		return err
	}
	dest := sd.DestPath
	if !path.IsAbs(dest) {
		dest = path.Join("/", cfg.Config.WorkingDir, dest) + map[bool]string{true: "/"}[strings.HasSuffix(sd.DestPath, "/")]
	}
	owner, err := parseChown(chown)
	if err != nil {
		return err
	}
	srcs, err := expandSources(root, sd.SourcePaths)
	if err != nil {
		return err
	}
	if from == "" {
		if srcs = notIgnored(root, srcs, b.o.Ignore); len(srcs) == 0 {
			return fmt.Errorf("COPY failed: %s: every source is in .dockerignore", strings.Join(sd.SourcePaths, " "))
		}
	}
	intoDir := strings.HasSuffix(dest, "/") || len(srcs) > 1
	c := &copier{owner: owner, hash: sha256.New()}
	if from == "" {
		c.ignored = func(p string) bool { return ignored(root, p, b.o.Ignore) }
	}
	write := func(w io.Writer) error {
		c.tw = tar.NewWriter(w)
		c.parents(path.Dir(strings.TrimSuffix(dest, "/")))
		for _, src := range srcs {
			if err := c.add(src, dest, intoDir, isAdd); err != nil {
				return err
			}
		}
		return c.tw.Close()
	}
	// The content decides the cache key: write the layer first (its file
	// is needed anyway when the cache misses).
	layer, drop, err := b.layerFrom(write)
	if err != nil {
		return err
	}
	defer drop()
	key := b.keyOf(st, text, hex.EncodeToString(c.hash.Sum(nil)))
	if b.fromCache(st, key) {
		return nil
	}
	img, err := mutate.Append(st.img, mutate.Addendum{Layer: layer, History: v1.History{Created: v1.Time{Time: now()},
		CreatedBy: fmt.Sprintf("/bin/sh -c #(nop) %s %s in %s", strings.ToUpper(strings.Fields(text)[0]), strings.Join(sd.SourcePaths, " "), dest)}})
	if err != nil {
		return err
	}
	return b.done(st, img, key)
}

// sourceRoot is where sources are read: the context, or the filesystem of
// a stage (by name or number) or of an image (COPY --from).
func (b *builder) sourceRoot(from string) (string, func(), error) {
	if from == "" {
		return b.o.Context, func() {}, nil
	}
	st, ok := b.stages[strings.ToLower(from)]
	if !ok {
		rec, err := b.o.Base(from)
		if err != nil {
			return "", nil, fmt.Errorf("COPY --from=%s: no such stage or image", from)
		}
		img, err := b.o.Store.Image(rec)
		if err != nil {
			return "", nil, err
		}
		st = &state{img: img, rec: rec}
	}
	rec, err := b.stored(st)
	if err != nil {
		return "", nil, err
	}
	lower := b.o.Store.LowerDirs(rec)
	if len(lower) == 0 {
		return "", nil, fmt.Errorf("COPY --from=%s: the image has no files", from)
	}
	if len(lower) == 1 {
		return lower[0], func() {}, nil
	}
	view, err := unionfs.OpenView(unionfs.Layers{Upper: lower[0], Lower: lower[1:]}, false)
	if err != nil {
		return "", nil, err
	}
	return unionfs.FdPath(view), func() { view.Close() }, nil
}

// expandSources resolves the sources in root: wildcards, and no way out.
func expandSources(root string, patterns []string) ([]string, error) {
	var out []string
	for _, p := range patterns {
		clean := path.Clean("/" + p)
		if strings.HasPrefix(path.Clean(p), "..") {
			return nil, fmt.Errorf("COPY failed: forbidden path outside the build context: %s", p)
		}
		matches, err := filepath.Glob(filepath.Join(root, clean))
		if err != nil {
			return nil, err
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("COPY failed: file not found in build context: %s", p)
		}
		sort.Strings(matches)
		out = append(out, matches...)
	}
	return out, nil
}

// parseChown reads --chown=UID[:GID] (numbers).
func parseChown(s string) (*[2]int, error) {
	if s == "" {
		return nil, nil
	}
	u, g, hasG := strings.Cut(s, ":")
	uid, err := strconv.Atoi(u)
	gid := uid
	if err == nil && hasG {
		gid, err = strconv.Atoi(g)
	}
	if err != nil {
		return nil, fmt.Errorf("--chown=%s: mini takes numeric IDs, UID[:GID]", s)
	}
	return &[2]int{uid, gid}, nil
}

// copier writes a COPY's layer, and digests its content for the cache.
type copier struct {
	tw      *tar.Writer
	owner   *[2]int
	hash    hash.Hash
	made    map[string]bool
	ignored func(path string) bool // .dockerignore's, for the context
}

// parents writes the destination's missing parent directories.
func (c *copier) parents(dir string) {
	if c.made == nil {
		c.made = map[string]bool{}
	}
	if dir == "/" || dir == "." || c.made[dir] {
		return
	}
	c.parents(path.Dir(dir))
	c.made[dir] = true
	c.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: strings.TrimPrefix(dir, "/") + "/", Mode: 0o755, ModTime: now()})
}

// add copies src to dest: a directory's contents into dest, a file to
// dest (or into it), a local tar archive unpacked (ADD).
func (c *copier) add(src, dest string, intoDir, isAdd bool) error {
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if c.ignored != nil && c.ignored(p) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			rel, _ := filepath.Rel(src, p)
			return c.entry(p, path.Join(dest, filepath.ToSlash(rel)))
		})
	}
	if isAdd && isArchive(src) {
		return c.unpack(src, strings.TrimSuffix(dest, "/"))
	}
	target := dest
	if intoDir {
		target = path.Join(dest, filepath.Base(src))
	}
	return c.entry(src, target)
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
	}
	hdr.Uname, hdr.Gname = "", ""
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

// isArchive says whether ADD unpacks the file: a tar, plain or gzipped.
func isArchive(p string) bool {
	for _, ext := range []string{".tar", ".tar.gz", ".tgz"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// unpack copies an archive's entries under dest.
func (c *copier) unpack(src, dest string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if !strings.HasSuffix(src, ".tar") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("ADD %s: %w", filepath.Base(src), err)
		}
		r = gz
	}
	tr := tar.NewReader(r)
	c.parents(dest)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("ADD %s: %w", filepath.Base(src), err)
		}
		name := path.Clean("/" + hdr.Name) // no .. out of dest
		if name == "/" {
			continue
		}
		hdr.Name = strings.TrimPrefix(path.Join(dest, name), "/")
		if hdr.Typeflag == tar.TypeDir {
			hdr.Name += "/"
		}
		if hdr.Typeflag == tar.TypeLink {
			hdr.Linkname = strings.TrimPrefix(path.Join(dest, path.Clean("/"+hdr.Linkname)), "/")
		}
		fmt.Fprintf(c.hash, "%s %o %d %d %s\n", hdr.Name, hdr.Mode, hdr.Uid, hdr.Gid, hdr.Linkname)
		if err := c.tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := io.Copy(io.MultiWriter(c.tw, c.hash), tr); err != nil {
			return err
		}
	}
}

// ignored says whether .dockerignore's patterns leave out p (a path in
// root): a pattern matches the path relative to the context, or one of
// its parent directories.
func ignored(root, p string, patterns []string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == "." {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, pat := range patterns {
		pat = strings.TrimPrefix(path.Clean("/"+pat), "/")
		for dir := rel; dir != "." && dir != "/"; dir = path.Dir(dir) {
			if ok, _ := path.Match(pat, dir); ok {
				return true
			}
		}
	}
	return false
}

// notIgnored drops the sources .dockerignore leaves out.
func notIgnored(root string, srcs, patterns []string) []string {
	var out []string
	for _, s := range srcs {
		if !ignored(root, s, patterns) {
			out = append(out, s)
		}
	}
	return out
}
