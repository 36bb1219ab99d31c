// Package imagefacts reads what a build made, from an image as docker
// save writes it: the files the image has that its base has not (or has
// otherwise: type, mode, owner, link, content; never times), the files it
// deleted, its config, and its history after the base's. Docker's builder
// and mini's are compared on these facts: tools/dockercorpus records
// Docker's, and the grader's corpus command checks mini's against them.
package imagefacts

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Facts are what a build added to its base.
type Facts struct {
	Files   []string `json:"files"`   // "PATH TYPE MODE UID:GID [LINK|sha256:...]", or "PATH deleted"
	Layers  int      `json:"layers"`  // layers added to the base's
	History []string `json:"history"` // created_by (digests masked), and "(empty)" for an empty layer
	Config  Config   `json:"config"`
	Author  string   `json:"author,omitempty"`
}

// Config is the part of an image's config a Dockerfile writes (Docker's
// builder also records fields of its own, such as the parent's ID).
type Config struct {
	Env, Cmd, Entrypoint, Shell, OnBuild []string            `json:",omitempty"`
	WorkingDir, User, StopSignal         string              `json:",omitempty"`
	ExposedPorts, Volumes                map[string]struct{} `json:",omitempty"`
	Labels                               map[string]string   `json:",omitempty"`
	Healthcheck                          *v1.HealthConfig    `json:",omitempty"`
}

func configOf(c v1.Config) Config {
	return Config{Env: c.Env, Cmd: c.Cmd, Entrypoint: c.Entrypoint, Shell: c.Shell, OnBuild: c.OnBuild,
		WorkingDir: c.WorkingDir, User: c.User, StopSignal: c.StopSignal, ExposedPorts: c.ExposedPorts,
		Volumes: c.Volumes, Labels: c.Labels, Healthcheck: c.Healthcheck}
}

// image is a saved image: its config and its merged files.
type image struct {
	config *v1.ConfigFile
	layers int
	files  map[string]string
}

// Compare reads the image and its base, each a docker save archive, and
// returns what the image added.
func Compare(imagePath, basePath string) (*Facts, error) {
	img, err := read(imagePath)
	if err != nil {
		return nil, err
	}
	base, err := read(basePath)
	if err != nil {
		return nil, err
	}
	f := &Facts{Layers: img.layers - base.layers, Config: configOf(img.config.Config), Author: img.config.Author}
	for p, e := range img.files {
		if base.files[p] != e {
			f.Files = append(f.Files, p+" "+e)
		}
	}
	for p := range base.files {
		if _, ok := img.files[p]; !ok {
			f.Files = append(f.Files, p+" deleted")
		}
	}
	sort.Strings(f.Files)
	for _, h := range img.config.History[min(len(base.config.History), len(img.config.History)):] {
		line := digests.ReplaceAllString(h.CreatedBy, "$1:DIGEST")
		if h.EmptyLayer {
			line += " (empty)"
		}
		f.History = append(f.History, line)
	}
	return f, nil
}

// digests are the content digests in COPY's and ADD's history: each
// builder hashes content its own way.
var digests = regexp.MustCompile(`(file|dir|multi):[0-9a-f]{64}`)

// read reads the first image of a docker save archive.
func read(p string) (*image, error) {
	members, err := tarMembers(p)
	if err != nil {
		return nil, err
	}
	var manifest []struct {
		Config string
		Layers []string
	}
	if err := json.Unmarshal(members["manifest.json"], &manifest); err != nil || len(manifest) == 0 {
		return nil, fmt.Errorf("%s: no manifest.json: %v", p, err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(members[manifest[0].Config]))
	if err != nil {
		return nil, fmt.Errorf("%s: config: %w", p, err)
	}
	img := &image{config: cfg, layers: len(manifest[0].Layers), files: map[string]string{}}
	for _, l := range manifest[0].Layers {
		if err := img.apply(members[l]); err != nil {
			return nil, fmt.Errorf("%s: layer %s: %w", p, l, err)
		}
	}
	return img, nil
}

// tarMembers reads every file of an archive into memory (images here are
// a few megabytes).
func tarMembers(p string) (map[string][]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][]byte{}
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		out[path.Clean(hdr.Name)] = data
	}
}

// apply adds a layer to the merged files: its whiteouts and opaque
// markers first remove what the layers below had, then its entries go in.
func (img *image) apply(layer []byte) error {
	r, err := gunzipped(layer)
	if err != nil {
		return err
	}
	type entry struct {
		name string
		hdr  *tar.Header
		data []byte
	}
	var entries []entry
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(path.Clean("/"+hdr.Name), "/")
		dir, base := path.Split(name)
		switch {
		case base == ".wh..wh..opq":
			img.remove(strings.TrimSuffix(dir, "/"), false)
		case strings.HasPrefix(base, ".wh."):
			img.remove(dir+strings.TrimPrefix(base, ".wh."), true)
		case name != "":
			entries = append(entries, entry{name, hdr, data})
		}
	}
	links := map[string]string{}
	for _, e := range entries {
		if e.hdr.Typeflag == tar.TypeLink {
			img.files[e.name] = links[strings.TrimPrefix(path.Clean("/"+e.hdr.Linkname), "/")]
			continue
		}
		img.files[e.name] = describe(e.hdr, e.data)
		links[e.name] = img.files[e.name]
	}
	return nil
}

// remove deletes what is under dir (and dir itself, with self).
func (img *image) remove(dir string, self bool) {
	for p := range img.files {
		if (self && p == dir) || strings.HasPrefix(p, dir+"/") || dir == "" && p != "" {
			delete(img.files, p)
		}
	}
}

// describe is one file's facts: type, mode, owner, and its link target
// or content digest.
func describe(h *tar.Header, data []byte) string {
	mode := fmt.Sprintf("%04o", h.Mode&0o7777)
	owner := fmt.Sprintf("%d:%d", h.Uid, h.Gid)
	switch h.Typeflag {
	case tar.TypeDir:
		return "dir " + mode + " " + owner
	case tar.TypeSymlink:
		return "symlink " + mode + " " + owner + " " + h.Linkname
	case tar.TypeReg:
		sum := sha256.Sum256(data)
		return "file " + mode + " " + owner + " sha256:" + hex.EncodeToString(sum[:])
	}
	return fmt.Sprintf("type%c %s %s", h.Typeflag, mode, owner)
}

// gunzipped is a layer's archive, gzipped or not.
func gunzipped(layer []byte) (io.Reader, error) {
	br := bufio.NewReader(bytes.NewReader(layer))
	if head, _ := br.Peek(2); bytes.Equal(head, []byte{0x1f, 0x8b}) {
		return gzip.NewReader(br)
	}
	return br, nil
}
