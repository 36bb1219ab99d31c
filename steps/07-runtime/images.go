// Removing images while containers run on them. An image's layers are
// the lower directories of every container made from it (step 03), so
// the store alone cannot say what may go: the runtime knows which
// containers use which image and which layers. docker rmi and image
// prune, for the mini command and the API alike.

package runtime

import (
	"fmt"
	"strings"

	"github.com/docker/docker/api/types/image"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"mini/steps/04-images/imagestore"
)

// RemoveImage untags ref, and removes the image once it has no name left,
// as docker rmi does: refused while a container uses it, unless forced,
// and even then the layers containers run on are kept. It returns each
// name untagged and each image and layer deleted.
func (rt *Runtime) RemoveImage(ref string, force bool) ([]image.DeleteResponse, error) {
	store, err := imagestore.Open(rt.Root)
	if err != nil {
		return nil, err
	}
	rec, err := store.Lookup(ref)
	if err != nil {
		return nil, notFound("No such image: %s", ref)
	}
	// One name of several goes alone, whoever uses the image (Docker).
	byName := !strings.HasPrefix(strings.TrimPrefix(rec.ID, "sha256:"), strings.TrimPrefix(ref, "sha256:"))
	if byName && len(rec.RepoTags) > 1 {
		if _, _, err := store.Untag(ref); err != nil {
			return nil, err
		}
		return []image.DeleteResponse{{Untagged: familiarName(ref)}}, nil
	}
	used, keep, err := rt.imagesInUse()
	if err != nil {
		return nil, err
	}
	if c := used[rec.ID]; c != "" && !force {
		return nil, conflict("unable to remove %s: container %s uses it (remove the container, or use rmi -f)", ref, c[:12])
	}
	var out []image.DeleteResponse
	for _, t := range append(rec.RepoTags, rec.RepoDigests...) {
		out = append(out, image.DeleteResponse{Untagged: t})
	}
	deleted, err := store.Remove(rec, keep)
	if err != nil {
		return out, err
	}
	out = append(out, image.DeleteResponse{Deleted: rec.ID})
	for _, d := range deleted {
		out = append(out, image.DeleteResponse{Deleted: d})
	}
	return out, nil
}

// imagesInUse says which images containers are made from (with one
// container using each) and which layers they run on.
func (rt *Runtime) imagesInUse() (used map[string]string, layers map[string]bool, err error) {
	containers, err := rt.List()
	if err != nil {
		return nil, nil, err
	}
	used, layers = map[string]string{}, map[string]bool{}
	for _, c := range containers {
		used[c.ImageID] = c.ID
		for _, l := range c.Lower {
			layers[l] = true
		}
	}
	return used, layers, nil
}

// familiarName is a name as Docker prints it: busybox is busybox:latest.
func familiarName(ref string) string {
	if r, err := imagestore.ParseReference(ref); err == nil {
		return r.Name
	}
	return ref
}

// PruneImages removes the images no container uses (all of them, or only
// those without a name), then the layers and blobs no image names: what
// failed and killed pulls and loads left (imagestore/collect.go). It
// returns what it removed and the bytes that freed; a removal that failed
// is told to warn, and the prune goes on.
func (rt *Runtime) PruneImages(all bool, warn func(error)) ([]image.DeleteResponse, int64, error) {
	store, err := imagestore.Open(rt.Root)
	if err != nil {
		return nil, 0, err
	}
	before := imagestore.DiskUsage(store.Dir())
	images, err := store.Records()
	if err != nil {
		return nil, 0, err
	}
	used, keep, err := rt.imagesInUse()
	if err != nil {
		return nil, 0, err
	}
	var out []image.DeleteResponse
	for _, r := range images {
		if used[r.ID] != "" || (!all && len(r.RepoTags) > 0) {
			continue
		}
		removed, err := rt.RemoveImage(r.ID, false)
		out = append(out, removed...)
		if err != nil {
			warn(fmt.Errorf("remove %s: %w", r.ID, err))
		}
	}
	if _, err := store.Collect(keep); err != nil {
		return out, 0, err
	}
	return out, max(0, before-imagestore.DiskUsage(store.Dir())), nil
}

// ImageHistory is how image ref was made, newest step first: docker
// history's rows, as the Engine API answers them. Only the newest step has
// an image ID of its own, the others are <missing>, as in Docker; a step
// that made a layer has that layer's size.
func (rt *Runtime) ImageHistory(ref string) ([]image.HistoryResponseItem, error) {
	store := imagestore.Peek(rt.Root)
	rec, err := store.Lookup(ref)
	if err != nil {
		return nil, notFound("No such image: %s", ref)
	}
	var cfg v1.ConfigFile
	if err := DecodeImageConfig(store, rec, &cfg); err != nil {
		return nil, err
	}
	sizes := make([]int64, len(cfg.History))
	layer := 0
	for i, h := range cfg.History {
		if !h.EmptyLayer && layer < len(rec.DiffIDs) {
			sizes[i] = imagestore.DiskUsage(store.LayerDir(rec.DiffIDs[layer]))
			layer++
		}
	}
	out := []image.HistoryResponseItem{}
	for i := len(cfg.History) - 1; i >= 0; i-- {
		h := cfg.History[i]
		item := image.HistoryResponseItem{ID: "<missing>", CreatedBy: h.CreatedBy, Size: sizes[i], Comment: h.Comment, Tags: []string{}}
		if !h.Created.IsZero() {
			item.Created = h.Created.Unix()
		}
		if i == len(cfg.History)-1 {
			item.ID, item.Tags = rec.ID, orNone(rec.RepoTags)
		}
		out = append(out, item)
	}
	return out, nil
}

func orNone(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
