// A container's files from outside it: what it changed (its upper layer,
// step 03's diff), its whole filesystem as a tar stream, copies in and out,
// and a commit of its changes as a new image layer (step 04).
//
// Paths in the container are resolved inside its root (step 03's OpenIn),
// so a symlink in the container can make a copy read or write only the
// container, never the host. A running container's root is its own mount
// namespace's view (/proc/PID/root); a stopped one's is a detached overlay
// of its layers (OpenRoot).

package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"

	"golang.org/x/sys/unix"

	unionfs "mini/steps/03-unionfs"
	images "mini/steps/04-images"
	"mini/steps/04-images/imagestore"
)

// Changes lists what the container added, changed and deleted.
func (rt *Runtime) Changes(ref string) ([]unionfs.Change, error) {
	c, err := rt.Find(ref)
	if err != nil {
		return nil, err
	}
	return unionfs.Changes(c.Dir.Upper(), c.Lower)
}

// openRoot finds a container and opens its root (Container.OpenRoot).
func (rt *Runtime) openRoot(ref string, writable bool) (*os.File, error) {
	c, err := rt.Find(ref)
	if err != nil {
		return nil, err
	}
	return c.OpenRoot(writable)
}

// Export writes the container's whole filesystem (its layers joined,
// without its volumes or kernel filesystems) to w as one tar stream.
func (rt *Runtime) Export(ref string, w io.Writer) error {
	view, err := rt.openRoot(ref, false)
	if err != nil {
		return err
	}
	defer view.Close()
	return unionfs.WriteTar(w, unionfs.FdPath(view), "")
}

// CopyFrom writes the tree at src in the container to w as a tar stream,
// its top entry named name.
func (rt *Runtime) CopyFrom(ref, src, name string, w io.Writer) error {
	view, err := rt.openRoot(ref, false)
	if err != nil {
		return err
	}
	defer view.Close()
	f, err := unionfs.OpenIn(view, src, unix.O_PATH)
	if err != nil {
		return fmt.Errorf("%s in container %s: %w", src, ref, err)
	}
	defer f.Close()
	return unionfs.WriteTar(w, unionfs.FdPath(f), name)
}

// IsDir says whether p in the container is a directory.
func (rt *Runtime) IsDir(ref, p string) (bool, error) {
	view, err := rt.openRoot(ref, false)
	if err != nil {
		return false, err
	}
	defer view.Close()
	f, err := unionfs.OpenIn(view, p, unix.O_PATH|unix.O_DIRECTORY)
	if err != nil {
		return false, nil
	}
	f.Close()
	return true, nil
}

// CopyTo extracts a tar stream into the directory dir of the container.
func (rt *Runtime) CopyTo(ref, dir string, r io.Reader, opts unionfs.ApplyOptions) error {
	view, err := rt.openRoot(ref, true)
	if err != nil {
		return err
	}
	defer view.Close()
	d, err := unionfs.OpenIn(view, path.Clean("/"+dir), unix.O_PATH|unix.O_DIRECTORY)
	if err != nil {
		return fmt.Errorf("%s in container %s: %w", dir, ref, err)
	}
	defer d.Close()
	return unionfs.Apply(unionfs.FdPath(d), r, opts)
}

// Commit makes an image of the container's changes: its image's layers
// and one more, its upper layer. It returns the new image's ID.
func (rt *Runtime) Commit(ref, tag string, opts images.CommitOptions) (string, error) {
	c, err := rt.Find(ref)
	if err != nil {
		return "", err
	}
	if c.ImageID == "" {
		return "", invalid("container %s was made from --rootfs, not an image: import the directory first", ref)
	}
	local, err := imagestore.Open(rt.Root)
	if err != nil {
		return "", err
	}
	base, err := local.Lookup(c.ImageID)
	if errors.Is(err, imagestore.ErrNotFound) {
		return "", notFound("no such image: %s", c.ImageID)
	}
	if err != nil {
		return "", err
	}
	rec, err := (&images.Store{Store: local}).Commit(base, c.Dir.Upper(), tag, opts)
	if err != nil {
		return "", err
	}
	return rec.ID, nil
}
