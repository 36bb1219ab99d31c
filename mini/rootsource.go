// A container's root: a --rootfs directory, or an image's layers and
// defaults, from step 04's store.

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"mini/steps/04-images/imagestore"
)

// rootSource is what a container's root is made from: the --rootfs
// directory, or an image's layers and defaults.
type rootSource struct {
	lower   []string       // layer directories, top first
	image   string         // the image's name, or ""
	imageID string         // its ID
	cfg     *v1.ConfigFile // the image's config, or nil
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

// resolveRoot reads --rootfs or, without it, takes the first argument as
// an image, pulling it when the store lacks it. It returns the arguments
// left for the command.
func resolveRoot(root, rootfs string, args []string) (*rootSource, []string, error) {
	if rootfs != "" {
		dir, err := checkRootfs(rootfs)
		return &rootSource{lower: []string{dir}}, args, err
	}
	if len(args) == 0 {
		return nil, nil, fmt.Errorf("no image given: mini run [OPTIONS] IMAGE [COMMAND] (or --rootfs DIR)")
	}
	store, err := imagestore.Open(root)
	if err != nil {
		return nil, nil, err
	}
	rec, err := store.Lookup(args[0])
	if errors.Is(err, imagestore.ErrNotFound) {
		fmt.Fprintf(os.Stderr, "Unable to find image '%s' locally\n", args[0])
		if err = pullMissing(root, args[0]); err == nil {
			rec, err = store.Lookup(args[0])
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if len(rec.DiffIDs) == 0 {
		return nil, nil, fmt.Errorf("image %s has no layers to run", args[0])
	}
	cfg, err := imageConfig(store, rec)
	if err != nil {
		return nil, nil, err
	}
	return &rootSource{lower: store.LowerDirs(rec), image: args[0], imageID: rec.ID, cfg: cfg}, args[1:], nil
}

// imageConfig reads an image's config: its defaults for containers.
func imageConfig(store *imagestore.Store, rec *imagestore.Record) (*v1.ConfigFile, error) {
	data, err := store.ReadBlob(rec.ID)
	if err != nil {
		return nil, fmt.Errorf("read config of image %s: %w", rec.ID[7:19], err)
	}
	var cfg v1.ConfigFile
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("read config of image %s: %w", rec.ID[7:19], err)
	}
	return &cfg, nil
}

// command is what a container runs, by Docker's rules: the entrypoint
// (the image's, unless --entrypoint), then the arguments given or else the
// image's Cmd.
func (src *rootSource) command(args []string, entrypoint string, entrypointSet bool) []string {
	var ep, cmd []string
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
	return append(append([]string{}, ep...), cmd...)
}
