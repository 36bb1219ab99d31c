// A container's files from outside it: what it changed (its upper layer,
// step 03's diff), its whole filesystem as a tar stream, copies in and out,
// and which containers can be committed as an image.
//
// Paths in the container are resolved inside its root (step 03's OpenIn),
// so a symlink in the container can make a copy read or write only the
// container, never the host; and a running container is paused while its
// files are walked, so that it cannot swap one for a symlink meanwhile
// (pause.go). A running container's root is its own mount
// namespace's view (/proc/PID/root); a stopped one's is a detached overlay
// of its layers (OpenRoot).

package runtime

import (
	"fmt"
	"io"
	"os"
	"path"

	"golang.org/x/sys/unix"

	unionfs "mini/steps/03-unionfs"
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
func (rt *Runtime) openRoot(ref string, writable bool) (*Container, *os.File, error) {
	c, err := rt.Find(ref)
	if err != nil {
		return nil, nil, err
	}
	view, err := c.OpenRoot(writable)
	return c, view, err
}

// inRoot opens a container's root and runs fn on it with the container
// paused.
func (rt *Runtime) inRoot(ref string, writable bool, fn func(view *os.File) error) error {
	c, view, err := rt.openRoot(ref, writable)
	if err != nil {
		return err
	}
	defer view.Close()
	return c.WhilePaused(func() error { return fn(view) })
}

// Export writes the container's whole filesystem (its layers joined,
// without its volumes or kernel filesystems) to w as one tar stream.
func (rt *Runtime) Export(ref string, w io.Writer) error {
	return rt.inRoot(ref, false, func(view *os.File) error {
		return unionfs.WriteTar(w, unionfs.FdPath(view), "")
	})
}

// CopyFrom writes the tree at src in the container to w as a tar stream,
// its top entry named name.
func (rt *Runtime) CopyFrom(ref, src, name string, w io.Writer) error {
	return rt.inRoot(ref, false, func(view *os.File) error {
		f, err := unionfs.OpenIn(view, src, unix.O_PATH)
		if err != nil {
			return fmt.Errorf("%s in container %s: %w", src, ref, err)
		}
		defer f.Close()
		return unionfs.WriteTar(w, unionfs.FdPath(f), name)
	})
}

// IsDir says whether p in the container is a directory.
func (rt *Runtime) IsDir(ref, p string) (bool, error) {
	_, view, err := rt.openRoot(ref, false)
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

// Stat describes p in the container, as the container sees it (a
// symlink followed inside it): docker cp asks before it copies.
func (rt *Runtime) Stat(ref, p string) (os.FileInfo, error) {
	_, view, err := rt.openRoot(ref, false)
	if err != nil {
		return nil, err
	}
	defer view.Close()
	f, err := unionfs.OpenIn(view, p, unix.O_PATH)
	if err != nil {
		return nil, notFound("Could not find the file %s in container %s", p, ref)
	}
	defer f.Close()
	return os.Stat(unionfs.FdPath(f))
}

// CopyTo extracts a tar stream into the directory dir of the container.
func (rt *Runtime) CopyTo(ref, dir string, r io.Reader, opts unionfs.ApplyOptions) error {
	return rt.inRoot(ref, true, func(view *os.File) error {
		d, err := unionfs.OpenIn(view, path.Clean("/"+dir), unix.O_PATH|unix.O_DIRECTORY)
		if err != nil {
			return fmt.Errorf("%s in container %s: %w", dir, ref, err)
		}
		defer d.Close()
		return unionfs.Apply(unionfs.FdPath(d), r, opts)
	})
}

// Committable finds a container whose changes can become an image: one
// made from an image (step 04's Commit adds its upper directory to the
// image's layers). The commit itself is the image tool's (mini-image): it
// takes the registry library, which a runtime does not need.
func (rt *Runtime) Committable(ref string) (*Container, error) {
	c, err := rt.Find(ref)
	if err != nil {
		return nil, err
	}
	if c.ImageID == "" {
		return nil, invalid("container %s was made from --rootfs, not an image: import the directory first", ref)
	}
	return c, nil
}
