// A container's root: a --rootfs directory, or an image's layers and
// defaults, from step 04's store.

package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/docker/docker/api/types/container"

	"mini/steps/04-images/imagestore"
)

// rootSource is what a container's root is made from: the --rootfs
// directory, or an image's layers and defaults.
type rootSource struct {
	lower   []string     // layer directories, top first
	image   string       // the image's name, or ""
	imageID string       // its ID
	cfg     *imageConfig // the image's config, or nil
}

// imageConfig is the part of an image's config (the OCI image config:
// v1.ConfigFile in full) that a container is made from. encoding/json
// learns the fields of each type it decodes, the first time in each
// program; decoding only these spares mini run learning the whole of the
// config's types.
type imageConfig struct {
	Config struct {
		User         string
		Env          []string
		Entrypoint   []string
		Cmd          []string
		WorkingDir   string
		ExposedPorts map[string]struct{}
		Volumes      map[string]struct{}
		Labels       map[string]string
		StopSignal   string
		OnBuild      []string
		Healthcheck  *container.HealthConfig
	} `json:"config"`
}

// exposedPorts are the image's EXPOSE ports, "80/tcp".
func (r *rootSource) exposedPorts() []string {
	if r.cfg == nil {
		return nil
	}
	var out []string
	for p := range r.cfg.Config.ExposedPorts {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// labels are the image's LABELs.
func (r *rootSource) labels() map[string]string {
	if r.cfg == nil {
		return nil
	}
	return r.cfg.Config.Labels
}

// resolveRoot reads the Rootfs directory or, without one, the Image,
// pulling it (o.Pull) when the store lacks it.
func (rt *Runtime) resolveRoot(o *CreateOptions) (*rootSource, error) {
	if o.Rootfs != "" {
		dir, err := checkRootfs(o.Rootfs)
		return &rootSource{lower: []string{dir}}, err
	}
	if o.Image == "" {
		return nil, invalid("no image given: mini run [OPTIONS] IMAGE [COMMAND] (or --rootfs DIR)")
	}
	store, err := imagestore.Open(rt.Root)
	if err != nil {
		return nil, err
	}
	rec, err := store.Lookup(o.Image)
	if errors.Is(err, imagestore.ErrNotFound) && o.Pull != nil {
		if err = o.Pull(o.Image); err == nil {
			rec, err = store.Lookup(o.Image)
		}
	}
	if errors.Is(err, imagestore.ErrNotFound) {
		return nil, notFound("No such image: %s", o.Image) // Docker's words, and the API's 404
	}
	if err != nil {
		return nil, err
	}
	if len(rec.DiffIDs) == 0 {
		return nil, invalid("image %s has no layers to run", o.Image)
	}
	cfg, err := readImageConfig(store, rec)
	if err != nil {
		return nil, err
	}
	return &rootSource{lower: store.LowerDirs(rec), image: o.Image, imageID: rec.ID, cfg: cfg}, nil
}

// readImageConfig reads what containers take from an image's config.
func readImageConfig(store *imagestore.Store, rec *imagestore.Record) (*imageConfig, error) {
	var cfg imageConfig
	return &cfg, DecodeImageConfig(store, rec, &cfg)
}

// DecodeImageConfig decodes an image's config into v: an imageConfig, or a
// v1.ConfigFile for the commands that show all of it.
func DecodeImageConfig(store *imagestore.Store, rec *imagestore.Record, v any) error {
	data, err := store.ReadBlob(rec.ID)
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		return fmt.Errorf("read config of image %s: %w", rec.ID[7:19], err)
	}
	return nil
}

// command is what a container runs, by Docker's rules: the entrypoint
// (the image's, unless --entrypoint), then the arguments given or else the
// image's Cmd.
func (src *rootSource) command(args []string, entrypoint string, entrypointSet bool) []string {
	ep, cmd := src.entrypointAndCmd(args, entrypoint, entrypointSet)
	return append(append([]string{}, ep...), cmd...)
}

// entrypointAndCmd are the two halves of the command, as inspect shows
// them.
func (src *rootSource) entrypointAndCmd(args []string, entrypoint string, entrypointSet bool) (ep, cmd []string) {
	if src.cfg != nil {
		ep, cmd = src.cfg.Config.Entrypoint, src.cfg.Config.Cmd
	}
	if entrypointSet {
		ep, cmd = nil, nil
		if entrypoint != "" {
			ep = []string{entrypoint}
		}
	}
	if len(args) > 0 {
		cmd = args
	}
	return ep, cmd
}
