// POST /build: docker build through the daemon. The client sends the
// build context as a tar stream (the daemon cannot read the client's
// directory: it may be on another machine), the Dockerfile inside it, and
// the options in the query. Step 06 builds as it does for mini build, each
// RUN a container of step 07's; the daemon answers with the classic
// builder's JSON stream: the build's lines, the image ID (aux), and an
// error with the failed command's status, which docker build exits with.

package api

import (
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	unionfs "mini/steps/03-unionfs"
	images "mini/steps/04-images"
	"mini/steps/04-images/imagestore"
	dockerfile "mini/steps/06-dockerfile"
	runtime "mini/steps/07-runtime"
)

func (s *Server) routeBuild() {
	s.mux.HandleFunc("POST /build", handle(s.build))
	s.mux.HandleFunc("POST /build/prune", handle(s.pruneBuild))
}

// buildOptions are the query's: the names, the Dockerfile's path in the
// context, the build arguments (JSON), the target stage, the cache, and
// quiet (only the ID).
type buildOptions struct {
	tags       []string
	dockerfile string
	args       map[string]string
	target     string
	noCache    bool
	quiet      bool
}

func readBuildOptions(r *http.Request) (*buildOptions, error) {
	q := r.URL.Query()
	o := &buildOptions{tags: q["t"], dockerfile: q.Get("dockerfile"), target: q.Get("target"),
		noCache: boolParam(r, "nocache"), quiet: boolParam(r, "q"), args: map[string]string{}}
	if o.dockerfile == "" {
		o.dockerfile = "Dockerfile"
	}
	if raw := q.Get("buildargs"); raw != "" {
		var args map[string]*string // a null value: the daemon's environment's, unused here
		if err := json.Unmarshal([]byte(raw), &args); err != nil {
			return nil, badRequest("invalid buildargs %q: want a JSON object", raw)
		}
		for k, v := range args {
			if v != nil {
				o.args[k] = *v
			}
		}
	}
	for _, t := range o.tags {
		if _, err := imagestore.ParseReference(t); err != nil {
			return nil, badRequest("invalid tag %q: %v", t, err)
		}
	}
	if q.Get("remote") != "" {
		return nil, badRequest("mini builds from the context sent, not from a remote URL")
	}
	return o, nil
}

func (s *Server) build(w http.ResponseWriter, r *http.Request) error {
	o, err := readBuildOptions(r)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(s.rt.Root, ".build-context-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := unpackContext(dir, r.Body); err != nil {
		return badRequest("read the build context: %v", err)
	}
	text, err := readDockerfile(dir, o.dockerfile)
	if err != nil {
		return err
	}
	store, err := images.OpenStore(s.rt.Root)
	if err != nil {
		return err
	}
	s.rt.RemoveOrphanedBuilds() // what killed builds left
	out := &jsonStream{w: w}
	lines := out.streamLines()
	if o.quiet {
		lines = io.Discard
	}
	runner := &runtime.BuildRunner{Runtime: s.rt, Stdout: lines, Stderr: lines,
		CgroupParent: s.CgroupParent, Network: s.DefaultNetwork}
	rec, err := dockerfile.Build(dockerfile.Options{Context: dir, Dockerfile: text, BuildArgs: o.args,
		Target: o.target, NoCache: o.noCache, Ignore: dockerfile.ReadIgnore(dir), Out: lines, Store: store,
		Runner: runner, Base: func(ref string) (*imagestore.Record, error) { return s.baseImage(r, store, ref, out) }})
	if err != nil {
		return out.buildFailed(err)
	}
	out.send(jsonMessage{Aux: map[string]string{"ID": rec.ID}})
	if o.quiet { // all the client prints
		out.send(jsonMessage{Stream: rec.ID + "\n"})
	} else {
		out.send(jsonMessage{Stream: fmt.Sprintf("Successfully built %s\n", strings.TrimPrefix(rec.ID, "sha256:")[:12])})
	}
	for _, t := range o.tags {
		if err := store.Tag(rec, t); err != nil {
			return out.fail(err)
		}
		if !o.quiet {
			out.send(jsonMessage{Stream: "Successfully tagged " + t + "\n"})
		}
	}
	return nil
}

// buildFailed ends the stream with the build's error and, for a RUN that
// failed, its status as the error's code: docker build exits with it.
func (s *jsonStream) buildFailed(err error) error {
	var runErr *dockerfile.RunError
	if !errors.As(err, &runErr) {
		return s.fail(err)
	}
	s.send(jsonMessage{Error: err.Error(), ErrorDetail: &errorDetail{Code: runErr.Code, Message: err.Error()}})
	return nil
}

// baseImage is FROM's image: the store's, or pulled, its progress in the
// build's stream.
func (s *Server) baseImage(r *http.Request, store *images.Store, ref string, out *jsonStream) (*imagestore.Record, error) {
	rec, err := store.Lookup(ref)
	if !errors.Is(err, imagestore.ErrNotFound) {
		return rec, err
	}
	ctx, err := withClientAuth(r)
	if err != nil {
		return nil, err
	}
	return store.Pull(ctx, ref, out)
}

// unpackContext extracts the context's tar stream, plain or compressed as
// docker build --compress sends it, into dir. Step 03's Apply keeps every
// entry inside dir, whatever the archive says.
func unpackContext(dir string, body io.Reader) error {
	br := bufio.NewReader(body)
	magic, _ := br.Peek(3)
	var r io.Reader = br
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		gz, err := gzip.NewReader(br)
		if err != nil {
			return err
		}
		defer gz.Close()
		r = gz
	case string(magic) == "BZh":
		r = bzip2.NewReader(br)
	}
	return unionfs.Apply(dir, r, unionfs.ApplyOptions{})
}

// readDockerfile reads the Dockerfile at name, a path in the context,
// resolved inside it: a symlink in the context reaches no host file.
func readDockerfile(dir, name string) ([]byte, error) {
	root, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := unionfs.OpenIn(root, path.Clean("/"+filepath.ToSlash(name)), unix.O_RDONLY)
	if err != nil {
		return nil, badRequest("Cannot locate specified Dockerfile: %s", name)
	}
	defer f.Close()
	return io.ReadAll(f)
}

// pruneBuild is docker builder prune: the classic builder keeps its cache
// in the images themselves, so there is nothing else to remove.
func (s *Server) pruneBuild(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{"CachesDeleted": []string{}, "SpaceReclaimed": 0})
	return nil
}
