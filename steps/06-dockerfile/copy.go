// COPY and ADD: a layer of files from the build context (or, COPY
// --from, another stage's or image's filesystem). ADD also unpacks a
// local archive into the destination (archive.go); copier.go writes the
// layer, dest.go says where in the image.
//
// No source may lead outside the context: "COPY ../secret /" is refused,
// a symlink named as a source is followed inside the context only (one
// that leads out is a file not found), and the links inside a copied
// directory are copied as links.

package dockerfile

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"golang.org/x/sys/unix"

	namespaces "mini/steps/01-namespaces"
	unionfs "mini/steps/03-unionfs"
)

// copyFlags are COPY's and ADD's --chown and --chmod (BuildKit's, kept).
type copyFlags struct{ chown, chmod string }

func (b *builder) copy(st *state, sd instructions.SourcesAndDest, from string, flags copyFlags, isAdd bool, text string) error {
	root, closeRoot, err := b.sourceRoot(from)
	if err != nil {
		return err
	}
	defer closeRoot()
	cfg, err := st.img.ConfigFile()
	if err != nil {
		return err
	}
	dst, err := b.openDestination(st)
	if err != nil {
		return err
	}
	defer dst.Close()
	dest := sd.DestPath
	if !path.IsAbs(dest) {
		dest = path.Join("/", cfg.Config.WorkingDir, dest)
	}
	owner, err := chownOf(dst, flags.chown)
	if err != nil {
		return err
	}
	mode, err := chmodOf(flags.chmod)
	if err != nil {
		return err
	}
	locals, urls := splitURLs(sd.SourcePaths)
	if len(urls) > 0 && !isAdd {
		return fmt.Errorf("COPY failed: a source cannot be a URL (%s): use ADD", urls[0])
	}
	srcs, err := expandSources(root, locals)
	if err != nil {
		return err
	}
	if from == "" && len(locals) > 0 {
		if srcs = notIgnored(root, srcs, b.o.Ignore); len(srcs) == 0 {
			return fmt.Errorf("COPY failed: %s: every source is in .dockerignore", strings.Join(sd.SourcePaths, " "))
		}
	}
	downloaded, cleanDownloads, err := b.download(urls)
	if err != nil {
		return err
	}
	defer cleanDownloads()
	srcs = append(srcs, downloaded...)
	remote := map[string]bool{}
	for _, d := range downloaded {
		remote[d] = true
	}
	slash := strings.HasSuffix(sd.DestPath, "/")
	if len(srcs) > 1 && !slash {
		return fmt.Errorf("When using %s with more than one source file, the destination must be a directory and end with a /",
			strings.ToUpper(strings.Fields(text)[0]))
	}
	resolved := dst.resolve(dest)
	intoDir := slash || dst.isDir(resolved)
	if !intoDir { // a file's name: only its directory is resolved
		resolved = path.Join(dst.resolve(path.Dir(dest)), path.Base(dest))
	}
	c := &copier{owner: owner, mode: mode, dest: dst, hash: sha256.New(), follow: followIn(root)}
	if from == "" {
		c.ignored = func(p string) bool { return ignored(root, p, b.o.Ignore) }
		c.exceptions = hasExceptions(b.o.Ignore)
	}
	write := func(w io.Writer) error {
		c.tw = tar.NewWriter(w)
		for _, src := range srcs {
			// A remote archive is kept as a file, as Docker does.
			if err := c.add(src, resolved, intoDir, isAdd && !remote[src]); err != nil {
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
	sum := hex.EncodeToString(c.hash.Sum(nil))
	key := b.keyOf(st, text, sum)
	if b.fromCache(st, key) {
		return nil
	}
	// Docker's words: COPY file:<digest> in DEST, the destination as
	// written (dir: for a directory, multi: for several sources).
	// (With --chown, Docker's words glue it to the kind: --chown=1:1file:.)
	kind := "multi"
	if len(srcs) == 1 {
		kind = "file"
		if real, err := c.follow(srcs[0]); err == nil {
			if fi, err := os.Stat(real); err == nil && fi.IsDir() {
				kind = "dir"
			}
		}
	}
	img, err := mutate.Append(st.img, mutate.Addendum{Layer: layer, History: v1.History{Created: v1.Time{Time: now()},
		CreatedBy: fmt.Sprintf("/bin/sh -c #(nop) %s %s:%s in %s ", strings.ToUpper(strings.Fields(text)[0]), map[bool]string{true: "--chown=" + flags.chown}[flags.chown != ""]+kind, sum, sd.DestPath)}})
	if err != nil {
		return err
	}
	return b.done(st, img, key)
}

// splitURLs tells ADD's http(s) sources from local ones.
func splitURLs(paths []string) (locals, urls []string) {
	for _, p := range paths {
		if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
			urls = append(urls, p)
		} else {
			locals = append(locals, p)
		}
	}
	return locals, urls
}

// download fetches ADD's URLs into a directory of the store, each as a
// file named by the URL's last element, mode 0600 as Docker makes them.
func (b *builder) download(urls []string) ([]string, func(), error) {
	if len(urls) == 0 {
		return nil, func() {}, nil
	}
	dir, err := os.MkdirTemp(b.o.Store.Dir(), fmt.Sprintf(".tmp-%d-add-", os.Getpid()))
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	var files []string
	for i, u := range urls {
		name := path.Base(strings.SplitN(strings.SplitN(u, "?", 2)[0], "#", 2)[0])
		if name == "" || name == "/" || name == "." || strings.Contains(name, ":") {
			name = "download"
		}
		sub := filepath.Join(dir, strconv.Itoa(i))
		file := filepath.Join(sub, name)
		if err := os.Mkdir(sub, 0o700); err == nil {
			err = fetch(u, file)
		}
		if err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("ADD %s: %w", u, err)
		}
		files = append(files, file)
	}
	return files, cleanup, nil
}

// fetch downloads url into file.
func fetch(url, file string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s", resp.Status)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
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
	view, err := b.openImage(st)
	if err != nil {
		return "", nil, fmt.Errorf("COPY --from=%s: %w", from, err)
	}
	return unionfs.FdPath(view), func() { view.Close() }, nil
}

// openImage opens the root of a stage's files, storing its image first.
func (b *builder) openImage(st *state) (*os.File, error) {
	rec, err := b.stored(st)
	if err != nil {
		return nil, err
	}
	return unionfs.OpenLayers(b.o.Store.LowerDirs(rec))
}

// expandSources resolves the sources in root: wildcards, and no way out.
// A match's directories are resolved again inside root, symlinks and all:
// a link in the context to a host directory leads nowhere, as in Docker.
func expandSources(root string, patterns []string) ([]string, error) {
	fd, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open the build context %s: %w", root, err)
	}
	defer unix.Close(fd)
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
		var found []string
		for _, m := range matches {
			if src, ok := inRoot(fd, root, m); ok {
				found = append(found, src)
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("COPY failed: file not found in build context: %s", p)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// inRoot is the match m (a path under root that filepath.Glob found, the
// host's way) with its directories resolved inside root; false if that
// leads to nothing. The last component is kept as it is: a symlink there
// is followed when it is copied (followIn).
func inRoot(rootFd int, root, m string) (string, bool) {
	rel, err := filepath.Rel(root, m)
	if err != nil || rel == "." {
		return m, err == nil
	}
	dir, base := filepath.Split(rel)
	resolved, err := namespaces.ResolveInRoot(rootFd, dir)
	if err != nil {
		return "", false
	}
	src := filepath.Join(root, resolved, base)
	_, err = os.Lstat(src)
	return src, err == nil
}

// chownOf reads --chown=USER[:GROUP]: numbers as they are, names looked
// up in the image's own /etc/passwd and /etc/group (step 01's lookup),
// as Docker does.
func chownOf(dst *destination, s string) (*[2]int, error) {
	if s == "" {
		return nil, nil
	}
	u, g, hasG := strings.Cut(s, ":")
	uid, uerr := strconv.Atoi(u)
	gid, gerr := strconv.Atoi(g)
	if uerr == nil && (!hasG || gerr == nil) {
		if !hasG {
			gid = uid
		}
		return &[2]int{uid, gid}, nil
	}
	if dst.view == nil {
		return nil, fmt.Errorf("--chown=%s: the image has no /etc/passwd", s)
	}
	root := unionfs.FdPath(dst.view)
	user, err := namespaces.LookupUser(s, filepath.Join(root, "etc/passwd"), filepath.Join(root, "etc/group"))
	if err != nil {
		return nil, fmt.Errorf("--chown=%s: %w", s, err)
	}
	return &[2]int{user.Uid, user.Gid}, nil
}

// followIn returns how a source named by a symlink is read: what the link
// points to, resolved inside root as in a container, as Docker copies it.
// A link that leads out of root, or to nothing, is a file not found.
// Symlinks inside a copied directory stay links.
func followIn(root string) func(string) (string, error) {
	return func(src string) (string, error) {
		rel, err := filepath.Rel(root, src)
		fi, lerr := os.Lstat(src)
		if err != nil || strings.HasPrefix(rel, "..") || lerr != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return src, nil // not a link, or not from root (a download)
		}
		fd, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return "", fmt.Errorf("open %s: %w", root, err)
		}
		defer unix.Close(fd)
		resolved, err := namespaces.ResolveInRoot(fd, rel)
		real := filepath.Join(root, resolved)
		if _, serr := os.Lstat(real); err != nil || serr != nil {
			return "", fmt.Errorf("COPY failed: file not found in build context or excluded by .dockerignore: stat %s: file does not exist", rel)
		}
		return real, nil
	}
}

// chmodOf reads --chmod=MODE, in octal: the mode of every file and
// directory copied (BuildKit's flag; the classic builder has none).
func chmodOf(s string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	m, err := strconv.ParseUint(s, 8, 32)
	if err != nil || m > 0o7777 {
		return nil, fmt.Errorf("--chmod=%s: want an octal mode such as 0755", s)
	}
	mode := int64(m)
	return &mode, nil
}
