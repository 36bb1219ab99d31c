// Package commit makes an image of a container's changes: where step
// 04's image store and step 07's containers meet. It is a package of its
// own so that the runtime, and the mini command that links it, need not
// carry the registry library the store's Commit is written with; the
// image tool (mini-image) and the daemon, which carry it anyway, call it.
package commit

import (
	images "mini/steps/04-images"
	"mini/steps/04-images/imagestore"
	runtime "mini/steps/07-runtime"
)

// Container makes an image of container ref: its image's layers and its
// upper directory as one more (step 04's Commit), named tag if not "",
// with the container paused unless told not to. The upper directory is
// walked from the host, and a running container could swap a directory
// in it for a symlink to a host path meanwhile. It returns the image ID.
func Container(rt *runtime.Runtime, ref, tag string, opts images.CommitOptions, pause bool) (id string, err error) {
	c, err := rt.Committable(ref)
	if err != nil {
		return "", err
	}
	store, err := imagestore.Open(rt.Root)
	if err != nil {
		return "", err
	}
	base, err := store.Lookup(c.ImageID)
	if err != nil {
		return "", err
	}
	commit := func() error {
		rec, err := (&images.Store{Store: store}).Commit(base, c.Dir.Upper(), tag, opts)
		if err == nil {
			id = rec.ID
		}
		return err
	}
	if pause {
		err = c.WhilePaused(commit)
	} else {
		err = commit()
	}
	return id, err
}
