// Images to and from elsewhere: push to a registry, save to and load from
// a docker save archive, and commit a container's changes as a new image.

package images

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	unionfs "mini/steps/03-unionfs"
	"mini/steps/04-images/imagestore"
)

// Push sends a stored image to the registry its name points at. The
// layers go as they were pulled, so the pushed digest is the pulled one.
func (s *Store) Push(ctx context.Context, refStr string, out io.Writer) error {
	ref, err := imagestore.ParseReference(refStr)
	if err != nil {
		return err
	}
	rec, err := s.Lookup(refStr)
	if err != nil {
		return fmt.Errorf("no such image: %s", refStr)
	}
	img, err := s.Image(rec)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "The push refers to repository [%s]\n", ref.Repository())
	rref, opts, err := remoteFor(ctx, ref)
	if err != nil {
		return err
	}
	if err := remote.Write(rref, img, opts...); err != nil {
		return registryError("push", ref, err)
	}
	size := 0
	if m, err := img.RawManifest(); err == nil {
		size = len(m)
	}
	fmt.Fprintf(out, "%s: digest: %s size: %d\n", tagOf(ref), rec.Manifest, size)
	// The registry now holds it by digest too: record that, as Docker does.
	return s.AddRecord(rec, "", ref.Repository()+"@"+rec.Manifest)
}

// Save writes the images as one archive in docker save's format: each
// image once, with the names it was asked for by; one asked for by its ID
// has no name in the archive, as in Docker's.
func (s *Store) Save(w io.Writer, refs []string) error {
	imgs := map[name.Reference]v1.Image{}
	byID := map[string]v1.Image{} // one image, however many names
	for _, r := range refs {
		rec, err := s.Lookup(r)
		if err != nil {
			return fmt.Errorf("no such image: %s", r)
		}
		img, ok := byID[rec.ID]
		if !ok {
			if img, err = s.Image(rec); err != nil {
				return err
			}
			byID[rec.ID] = img
		}
		rref, err := saveRef(r, rec)
		if err != nil {
			return err
		}
		imgs[rref] = img
	}
	return tarball.MultiRefWrite(imgs, w)
}

// saveRef is the name an image is saved under: the tag asked for, or for
// an ID a digest reference, which the archive records as no name.
func saveRef(asked string, rec *imagestore.Record) (name.Reference, error) {
	ref, err := imagestore.ParseReference(asked)
	if err != nil || strings.HasPrefix(rec.ID, "sha256:"+strings.TrimPrefix(asked, "sha256:")) {
		return name.NewDigest("unnamed@" + rec.Manifest)
	}
	if ref.Digest != "" { // repo@sha256:...: Docker saves it without a name too
		return name.NewDigest(ref.Full())
	}
	return remoteRef(ref)
}

// Load reads a docker save (or podman save) archive at path, or an OCI
// layout directory, and keeps every image in it under its names. It returns the names loaded, and the
// IDs of images loaded without one.
func (s *Store) Load(path string) ([]string, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return s.loadOCILayout(path)
	}
	opener := func() (io.ReadCloser, error) { return os.Open(path) }
	manifest, err := tarball.LoadManifest(opener)
	if err != nil {
		return s.loadOCIArchive(path) // no manifest.json: perhaps an OCI layout
	}
	var loaded []string
	for _, desc := range manifest {
		if len(desc.RepoTags) == 0 { // saved by ID
			id, err := s.loadUnnamed(opener, len(manifest))
			if err != nil {
				return loaded, err
			}
			loaded = append(loaded, id)
		}
		for _, tag := range desc.RepoTags {
			t, err := name.NewTag(tag)
			if err != nil {
				return loaded, err
			}
			img, err := tarball.Image(opener, &t)
			if err != nil {
				return loaded, fmt.Errorf("read %s from the archive: %w", tag, err)
			}
			_, err = s.Add(img, tag)
			if err != nil {
				return loaded, err
			}
			ref, _ := imagestore.ParseReference(tag) // Add has read it
			loaded = append(loaded, ref.Name)
		}
	}
	if len(loaded) == 0 {
		return nil, fmt.Errorf("the archive names no image")
	}
	return loaded, nil
}

// loadUnnamed loads the image an archive holds without a name, and
// returns its ID. The archive reader finds an image by name, or takes
// the only one there is: an archive of several, one of them unnamed, is
// refused with a word on what to do.
func (s *Store) loadUnnamed(opener tarball.Opener, images int) (string, error) {
	if images != 1 {
		return "", fmt.Errorf("the archive holds %d images, some of them without a name: mini loads an image without a name only from an archive of its own (save it alone)", images)
	}
	img, err := tarball.Image(opener, nil)
	if err != nil {
		return "", fmt.Errorf("read the archive's image: %w", err)
	}
	rec, err := s.Add(img, "")
	if err != nil {
		return "", err
	}
	return rec.ID, nil
}

// CommitOptions describe a commit, as docker commit's flags do.
type CommitOptions struct {
	Message, Author string
	Changes         []string // Dockerfile instructions: CMD, ENTRYPOINT, ENV, WORKDIR, USER, EXPOSE
}

// Commit makes a new image: base with the container's upper directory
// added as one layer, and the changes applied to its config.
func (s *Store) Commit(base *imagestore.Record, upper, tag string, opts CommitOptions) (*imagestore.Record, error) {
	img, err := s.Image(base)
	if err != nil {
		return nil, err
	}
	tmp, err := s.TempFile("layer")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	err = unionfs.WriteLayer(tmp, upper)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("write the container's layer: %w", err)
	}
	layer, err := tarball.LayerFromFile(tmp.Name())
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	img, err = mutate.Append(img, mutate.Addendum{Layer: layer, History: v1.History{
		Created: v1.Time{Time: now}, CreatedBy: "mini commit", Comment: opts.Message, Author: opts.Author}})
	if err != nil {
		return nil, err
	}
	img, err = editConfig(img, func(cfg *v1.ConfigFile) error {
		cfg.Created, cfg.Author = v1.Time{Time: now}, opts.Author
		return applyChanges(&cfg.Config, opts.Changes)
	})
	if err != nil {
		return nil, err
	}
	return s.Add(img, tag)
}

// applyChanges applies --change instructions to a config.
func applyChanges(c *v1.Config, changes []string) error {
	for _, ch := range changes {
		instr, arg, _ := strings.Cut(strings.TrimSpace(ch), " ")
		arg = strings.TrimSpace(arg)
		switch strings.ToUpper(instr) {
		case "CMD":
			c.Cmd = commandForm(arg)
		case "ENTRYPOINT":
			c.Entrypoint = commandForm(arg)
		case "ENV":
			k, v, ok := strings.Cut(arg, "=")
			if !ok {
				k, v, _ = strings.Cut(arg, " ")
			}
			c.Env = append(c.Env, k+"="+strings.TrimSpace(v))
		case "WORKDIR":
			c.WorkingDir = arg
		case "USER":
			c.User = arg
		case "EXPOSE":
			if c.ExposedPorts == nil {
				c.ExposedPorts = map[string]struct{}{}
			}
			for _, p := range strings.Fields(arg) {
				if !strings.Contains(p, "/") {
					p += "/tcp"
				}
				c.ExposedPorts[p] = struct{}{}
			}
		case "VOLUME":
			if c.Volumes == nil {
				c.Volumes = map[string]struct{}{}
			}
			for _, p := range volumeForm(arg) {
				c.Volumes[p] = struct{}{}
			}
		default:
			return fmt.Errorf("invalid --change %q: mini commit takes CMD, ENTRYPOINT, ENV, WORKDIR, USER, EXPOSE and VOLUME", ch)
		}
	}
	return nil
}

// volumeForm reads VOLUME's JSON form ["/a","/b"], or its words.
func volumeForm(arg string) []string {
	var paths []string
	if json.Unmarshal([]byte(arg), &paths) == nil {
		return paths
	}
	return strings.Fields(arg)
}

// commandForm reads the JSON form ["a","b"], or the shell form run by sh -c.
func commandForm(arg string) []string {
	var argv []string
	if json.Unmarshal([]byte(arg), &argv) == nil {
		return argv
	}
	return []string{"/bin/sh", "-c", arg}
}

// editConfig returns img with its config changed by edit.
func editConfig(img v1.Image, edit func(*v1.ConfigFile) error) (v1.Image, error) {
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	if err := edit(cfg); err != nil {
		return nil, err
	}
	return mutate.ConfigFile(img, cfg)
}
