// The other objects a daemon keeps, listed and inspected: images (step
// 04's store), networks (step 05's, as step 07 records them) and volumes.

package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/docker/docker/api/types/image"

	"mini/steps/04-images/imagestore"
	runtime "mini/steps/07-runtime"
)

func (s *Server) routeObjects() {
	s.mux.HandleFunc("GET /images/json", handle(s.listImages))
	// A name may hold slashes (127.0.0.1:5000/app), so the path is
	// matched whole and read from its end.
	s.mux.HandleFunc("GET /images/{rest...}", handle(s.inspectImage))
	s.mux.HandleFunc("GET /networks", handle(s.listNetworks))
	s.mux.HandleFunc("GET /networks/{id}", handle(s.inspectNetwork))
	s.mux.HandleFunc("GET /volumes", handle(s.listVolumes))
	s.mux.HandleFunc("GET /volumes/{name}", handle(s.inspectVolume))
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

func (s *Server) inspectImage(w http.ResponseWriter, r *http.Request) error {
	ref, ok := strings.CutSuffix(r.PathValue("rest"), "/json")
	if !ok {
		return notFoundError("page not found")
	}
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

// builtinNetwork is host or none, the networks that are no bridge.
func builtinNetwork(name, driver string) *runtime.NetworkInspect {
	return &runtime.NetworkInspect{Name: name, Id: runtime.BuiltinNetworkID(name), Scope: "local", Driver: driver,
		Created: time.Unix(0, 0).UTC(), Containers: map[string]runtime.Endpoint{}, Options: map[string]string{}}
}

func (s *Server) networks() []*runtime.NetworkInspect {
	var out []*runtime.NetworkInspect
	if b, err := s.rt.InspectNetwork("bridge"); err == nil {
		out = append(out, b)
	}
	out = append(out, builtinNetwork("host", "host"), builtinNetwork("none", "null"))
	for _, n := range s.rt.Networks() {
		if in, err := s.rt.InspectNetwork(n.Name); err == nil {
			out = append(out, in)
		}
	}
	return out
}

func (s *Server) listNetworks(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, s.networks())
	return nil
}

// inspectNetwork finds a network by name, ID or ID prefix.
func (s *Server) inspectNetwork(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	for _, n := range s.networks() {
		if n.Name == id || len(id) >= 3 && strings.HasPrefix(n.Id, id) {
			writeJSON(w, http.StatusOK, n)
			return nil
		}
	}
	return notFoundError("network %s not found", id)
}

func (s *Server) listVolumes(w http.ResponseWriter, _ *http.Request) error {
	names, err := s.rt.VolumeNames()
	if err != nil {
		return err
	}
	vols := []*runtime.VolumeInfo{}
	for _, n := range names {
		if v, err := s.rt.InspectVolume(n); err == nil {
			vols = append(vols, v)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"Volumes": vols, "Warnings": []string{}})
	return nil
}

func (s *Server) inspectVolume(w http.ResponseWriter, r *http.Request) error {
	v, err := s.rt.InspectVolume(r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}
