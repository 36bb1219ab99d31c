// The images' endpoints: list, inspect, history, tag, remove, prune,
// pull and push (progress.go streams what they report), save and load.
// Step 04's store does the work, as it does for the mini command; the
// runtime says which images containers use (rmi, prune).

package api

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/registry"
	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	images "mini/steps/04-images"
	"mini/steps/04-images/imagestore"
	runtime "mini/steps/07-runtime"
)

func (s *Server) routeImages() {
	s.mux.HandleFunc("GET /images/json", handle(s.listImages))
	s.mux.HandleFunc("POST /images/create", handle(s.pullImage))
	s.mux.HandleFunc("GET /images/get", handle(s.saveImages))
	s.mux.HandleFunc("POST /images/load", handle(s.loadImages))
	s.mux.HandleFunc("POST /images/prune", handle(s.pruneImages))
	s.mux.HandleFunc("GET /images/search", handle(s.searchImages))
	// A name may hold slashes (127.0.0.1:5000/app), so these paths are
	// matched whole and read from their end.
	s.mux.HandleFunc("GET /images/{rest...}", handle(s.imageGet))
	s.mux.HandleFunc("POST /images/{rest...}", handle(s.imagePost))
	s.mux.HandleFunc("DELETE /images/{rest...}", handle(s.removeImage))
}

// imageAction splits /images/NAME/ACTION into the name and the action.
func imageAction(r *http.Request) (name, action string) {
	rest := r.PathValue("rest")
	i := strings.LastIndexByte(rest, '/')
	if i < 0 {
		return rest, ""
	}
	return rest[:i], rest[i+1:]
}

func (s *Server) imageGet(w http.ResponseWriter, r *http.Request) error {
	switch name, action := imageAction(r); action {
	case "json":
		return s.inspectImage(w, name)
	case "history":
		items, err := s.rt.ImageHistory(name)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, items)
		return nil
	case "get":
		return s.save(w, []string{name})
	}
	return notFoundError("page not found")
}

func (s *Server) imagePost(w http.ResponseWriter, r *http.Request) error {
	switch name, action := imageAction(r); action {
	case "tag":
		return s.tagImage(w, r, name)
	case "push":
		return s.pushImage(w, r, name)
	}
	return notFoundError("page not found")
}

// listImages is docker images: each image once, with all its names.
func (s *Server) listImages(w http.ResponseWriter, _ *http.Request) error {
	store := imagestore.Peek(s.rt.Root)
	recs, _ := store.Records() // none yet: an empty list
	out := []image.Summary{}
	for _, rec := range recs {
		sum := image.Summary{ID: rec.ID, RepoTags: orEmpty(rec.RepoTags), RepoDigests: orEmpty(rec.RepoDigests),
			Created: rec.Created.Unix(), Size: rec.Size, SharedSize: -1, Containers: -1}
		if in, err := runtime.InspectImage(store, rec); err == nil && in.Config != nil {
			sum.Labels = in.Config.Labels
		}
		out = append(out, sum)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

func (s *Server) inspectImage(w http.ResponseWriter, ref string) error {
	store := imagestore.Peek(s.rt.Root)
	rec, err := store.Lookup(ref)
	if err != nil {
		return notFoundError("No such image: %s", ref)
	}
	in, err := runtime.InspectImage(store, rec)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

// tagImage gives an image another name: repo, and tag (latest if none).
func (s *Server) tagImage(w http.ResponseWriter, r *http.Request, ref string) error {
	repo, tag := r.URL.Query().Get("repo"), r.URL.Query().Get("tag")
	if repo == "" {
		return badRequest("repository name must have at least one component")
	}
	store, err := imagestore.Open(s.rt.Root)
	if err != nil {
		return err
	}
	rec, err := store.Lookup(ref)
	if err != nil {
		return notFoundError("No such image: %s", ref)
	}
	target := repo
	if tag != "" {
		target += ":" + tag
	}
	if err := store.Tag(rec, target); err != nil {
		return badRequest("%v", err)
	}
	w.WriteHeader(http.StatusCreated)
	return nil
}

func (s *Server) removeImage(w http.ResponseWriter, r *http.Request) error {
	removed, err := s.rt.RemoveImage(r.PathValue("rest"), boolParam(r, "force"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, removed)
	return nil
}

// pruneImages removes the images without a name no container uses, or
// with the filter dangling=false every image no container uses.
func (s *Server) pruneImages(w http.ResponseWriter, r *http.Request) error {
	kv, err := filterList(r.URL.Query().Get("filters"))
	if err != nil {
		return err
	}
	all := false
	for _, f := range kv {
		switch f {
		case "dangling=false", "dangling=0":
			all = true
		case "dangling=true", "dangling=1":
		default:
			return badRequest("invalid filter %q: image prune takes dangling", f)
		}
	}
	removed, reclaimed, err := s.rt.PruneImages(all, func(err error) { fmt.Fprintln(os.Stderr, "mini daemon:", err) })
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, image.PruneReport{ImagesDeleted: removed, SpaceReclaimed: uint64(reclaimed)})
	return nil
}

// pullImage is POST /images/create?fromImage=NAME&tag=TAG: docker pull.
// The tag may be a digest; a name without a tag pulls every tag of the
// repository (docker pull -a). With fromSrc=- instead, it is docker
// import of the body.
func (s *Server) pullImage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from, tag := q.Get("fromImage"), q.Get("tag")
	if src := q.Get("fromSrc"); src != "" {
		return s.importImage(w, r, src)
	}
	if from == "" {
		return badRequest("fromImage or fromSrc is needed")
	}
	platform := images.Platform
	if p := q.Get("platform"); p != "" {
		parsed, err := v1.ParsePlatform(p)
		if err != nil || parsed.OS == "" || parsed.Architecture == "" {
			return badRequest("invalid platform %q: want OS/ARCH[/VARIANT], such as linux/arm64", p)
		}
		platform = *parsed
	}
	ctx, err := withClientAuth(r)
	if err != nil {
		return err
	}
	refs, err := pullRefs(ctx, from, tag)
	if err != nil {
		return err
	}
	store, err := images.OpenStore(s.rt.Root)
	if err != nil {
		return err
	}
	out := &jsonStream{w: w}
	for _, ref := range refs {
		if _, err := store.PullPlatform(ctx, ref, platform, out); err != nil {
			return out.fail(err)
		}
	}
	return nil
}

// pullRefs are the names a pull asks for: NAME:TAG, NAME@DIGEST, NAME as
// it is when it has a tag, or every tag the registry has for NAME.
func pullRefs(ctx context.Context, from, tag string) ([]string, error) {
	switch {
	case strings.HasPrefix(tag, "sha256:"):
		return []string{from + "@" + tag}, nil
	case tag != "":
		return []string{from + ":" + tag}, nil
	}
	ref, err := imagestore.ParseReference(from)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	if ref.Digest != "" || strings.Contains(from[strings.LastIndexByte(from, '/')+1:], ":") {
		return []string{from}, nil
	}
	tags, err := images.Tags(ctx, from)
	if err != nil {
		return nil, err
	}
	var refs []string
	for _, t := range tags {
		refs = append(refs, ref.Repository()+":"+t)
	}
	return refs, nil
}

// pushImage is docker push: NAME, or NAME:TAG with tag.
func (s *Server) pushImage(w http.ResponseWriter, r *http.Request, name string) error {
	if tag := r.URL.Query().Get("tag"); tag != "" {
		name += ":" + tag
	}
	ctx, err := withClientAuth(r)
	if err != nil {
		return err
	}
	store, err := images.OpenStore(s.rt.Root)
	if err != nil {
		return err
	}
	if _, err := store.Lookup(name); err != nil {
		return notFoundError("An image does not exist locally with the tag: %s", name)
	}
	out := &jsonStream{w: w}
	if err := store.Push(ctx, name, out.lines()); err != nil {
		return out.fail(err)
	}
	return nil
}

// withClientAuth is the request's context with the credentials the client
// sent in X-Registry-Auth (base64url of JSON, as docker login keeps
// them), if it sent any: the daemon's own logins are used otherwise.
func withClientAuth(r *http.Request) (context.Context, error) {
	header := r.Header.Get(registry.AuthHeader)
	if header == "" {
		return r.Context(), nil
	}
	data, err := base64.URLEncoding.DecodeString(header)
	if err != nil {
		data, err = base64.RawURLEncoding.DecodeString(header)
	}
	var a registry.AuthConfig
	if err == nil {
		err = json.Unmarshal(data, &a)
	}
	if err != nil {
		return nil, badRequest("invalid %s header: want base64url of a JSON auth config", registry.AuthHeader)
	}
	if a == (registry.AuthConfig{}) {
		return r.Context(), nil
	}
	return images.WithAuth(r.Context(), authn.FromConfig(authn.AuthConfig{Username: a.Username, Password: a.Password,
		Auth: a.Auth, IdentityToken: a.IdentityToken, RegistryToken: a.RegistryToken})), nil
}

// importImage is docker import: the body, a tar of a root filesystem,
// becomes an image of one layer named repo:tag, with the message and the
// Dockerfile changes asked for. mini fetches no URL: the client sends the
// tar (fromSrc=-).
func (s *Server) importImage(w http.ResponseWriter, r *http.Request, src string) error {
	if src != "-" {
		return badRequest("mini imports the request's body (fromSrc=-), not %s: fetch it, then send it", src)
	}
	q := r.URL.Query()
	return s.withUpload(r, func(store *images.Store, path string) error {
		rec, err := store.Import(path, repoTag(q), nonEmpty(q["changes"]), q.Get("message"))
		if err != nil {
			return badRequest("%v", err)
		}
		(&jsonStream{w: w}).send(jsonMessage{Status: rec.ID})
		return nil
	})
}

// repoTag is the name a commit or an import asks for: repo, and tag if
// given ("" for none).
func repoTag(q url.Values) string {
	name := q.Get("repo")
	if t := q.Get("tag"); name != "" && t != "" {
		name += ":" + t
	}
	return name
}

// withUpload keeps the request's body in a file under the state root
// (the store reads archives from files) and runs fn on it and the store;
// the file goes afterwards.
func (s *Server) withUpload(r *http.Request, fn func(store *images.Store, path string) error) error {
	store, err := images.OpenStore(s.rt.Root)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.rt.Root, ".upload-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, r.Body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return badRequest("read the archive: %v", err)
	}
	return fn(store, tmp.Name())
}

// saveImages is docker save of several images: ?names=A&names=B.
func (s *Server) saveImages(w http.ResponseWriter, r *http.Request) error {
	return s.save(w, r.URL.Query()["names"])
}

// save writes the images as one docker save archive, once all are found.
func (s *Server) save(w http.ResponseWriter, refs []string) error {
	store, err := images.OpenStore(s.rt.Root)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		if _, err := store.Lookup(ref); err != nil {
			return notFoundError("No such image: %s", ref)
		}
	}
	w.Header().Set("Content-Type", "application/x-tar")
	if err := store.Save(w, refs); err != nil {
		fmt.Fprintln(os.Stderr, "mini daemon: save:", err) // the archive has begun: a cut one is all the client gets
	}
	return nil
}

// loadImages is docker load: the body is the archive. The store reads an
// archive from a file, so the body is kept in one under the state root
// first; what was loaded is said as a JSON stream.
func (s *Server) loadImages(w http.ResponseWriter, r *http.Request) error {
	return s.withUpload(r, func(store *images.Store, path string) error {
		loaded, err := store.Load(path)
		if err != nil && len(loaded) == 0 {
			return badRequest("%v", err)
		}
		out := &jsonStream{w: w}
		for _, l := range loaded {
			if strings.HasPrefix(l, "sha256:") {
				out.send(jsonMessage{Stream: "Loaded image ID: " + l + "\n"})
			} else {
				out.send(jsonMessage{Stream: "Loaded image: " + l + "\n"})
			}
		}
		if err != nil {
			return out.fail(err)
		}
		return nil
	})
}

// searchImages is docker search: a registry's catalog for "HOST/TERM",
// Docker Hub's search for a bare term.
func (s *Server) searchImages(w http.ResponseWriter, r *http.Request) error {
	term := r.URL.Query().Get("term")
	limit, err := strconv.Atoi(cmp.Or(r.URL.Query().Get("limit"), "25"))
	if err != nil || limit < 1 {
		return badRequest("invalid limit %q: want a positive number", r.URL.Query().Get("limit"))
	}
	ctx, err := withClientAuth(r)
	if err != nil {
		return err
	}
	found, err := images.Search(ctx, term, limit)
	if err != nil {
		return err
	}
	out := []registry.SearchResult{}
	for _, f := range found {
		out = append(out, registry.SearchResult{Name: f.Name, Description: f.Description, StarCount: f.Stars, IsOfficial: f.Official})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
