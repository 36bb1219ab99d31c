// Where COPY, ADD and WORKDIR write: the image so far, seen read-only.
//
// A layer does not add to the directories above its files, it replaces
// them: overlayfs shows a directory's mode and owner from the highest
// layer that has it. So a COPY into /tmp must write tmp/ as the image has
// it (1777), or every later step finds /tmp 0755; a chowned /app must keep
// its owner, or a later USER cannot write there. Docker's layers do the
// same: a directory above a copied file is in the layer as it was.
//
// Paths are resolved inside the image, as in a container: on a Debian
// whose /bin is a link to usr/bin, COPY x /bin/ writes usr/bin/x, never a
// directory bin/ that would hide the link. And a destination that is a
// directory in the image takes the file into it, slash or none.

package dockerfile

import (
	"archive/tar"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	namespaces "mini/steps/01-namespaces"
	unionfs "mini/steps/03-unionfs"
)

// destination is the image a step writes into; an image of no layer
// (FROM scratch) has nothing.
type destination struct {
	view *os.File // the image's root, read-only; nil for no layer
}

// openDestination opens the stage's image as a step writes into it.
func (b *builder) openDestination(st *state) (*destination, error) {
	rec, err := b.stored(st)
	if err != nil || len(rec.DiffIDs) == 0 {
		return &destination{}, err
	}
	view, err := b.openImage(st)
	if err != nil {
		return nil, err
	}
	return &destination{view: view}, nil
}

// Close releases the image.
func (d *destination) Close() {
	if d.view != nil {
		d.view.Close()
	}
}

// resolve is the absolute path p with its symlinks followed inside the
// image, the last component's too.
func (d *destination) resolve(p string) string {
	if d.view == nil {
		return path.Clean("/" + p)
	}
	r, err := namespaces.ResolveInRoot(int(d.view.Fd()), strings.TrimPrefix(p, "/"))
	if err != nil {
		return path.Clean("/" + p) // a loop of links: written where it stands
	}
	return "/" + r
}

// isDir says whether the resolved path p is a directory in the image.
func (d *destination) isDir(p string) bool {
	return d.header(p) != nil
}

// header is the image's own directory at the resolved path p as a tar
// header (mode, owner, time), or nil when it has none there.
func (d *destination) header(p string) *tar.Header {
	if d.view == nil {
		return nil
	}
	fi, err := os.Lstat(filepath.Join(unionfs.FdPath(d.view), p))
	if err != nil || !fi.IsDir() {
		return nil
	}
	hdr, err := tar.FileInfoHeader(fi, "")
	if err != nil {
		return nil
	}
	hdr.Uname, hdr.Gname = "", ""
	return hdr
}

// workdir does WORKDIR: the config's working directory, and the directory
// itself when the image lacks it, made as Docker makes it (0755, root's,
// whatever USER says) in a layer of its own. A directory already there
// changes the config only: an empty layer.
func (b *builder) workdir(st *state, c *instructions.WorkdirCommand) error {
	edit, err := configEdit(st, c)
	if err != nil {
		return err
	}
	cf, err := st.img.ConfigFile()
	if err != nil {
		return err
	}
	cfg := cf.Config.DeepCopy()
	edit(cfg)
	createdBy := strings.Join(st.shell, " ") + " #(nop) WORKDIR " + cfg.WorkingDir
	dst, err := b.openDestination(st)
	if err != nil {
		return err
	}
	defer dst.Close()
	dir := dst.resolve(cfg.WorkingDir)
	if dst.isDir(dir) {
		return b.configStep(st, sourceOf(c), createdBy, edit)
	}
	key := b.keyOf(st, sourceOf(c), cfg.WorkingDir)
	if b.fromCache(st, key) {
		return nil
	}
	layer, drop, err := b.layerFrom(func(w io.Writer) error {
		cp := &copier{tw: tar.NewWriter(w), dest: dst}
		cp.dirs(dir)
		return cp.tw.Close()
	})
	if err != nil {
		return err
	}
	defer drop()
	img, err := mutate.Append(st.img, mutate.Addendum{Layer: layer, History: v1.History{Created: v1.Time{Time: now()}, CreatedBy: createdBy}})
	if err == nil {
		img, err = editConfig(img, func(cf *v1.ConfigFile) { edit(&cf.Config) })
	}
	if err != nil {
		return err
	}
	return b.done(st, img, key)
}
