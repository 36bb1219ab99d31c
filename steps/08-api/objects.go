// The other objects a daemon keeps, listed and inspected: networks (step
// 05's, as step 07 records them) and volumes.

package api

import (
	"net/http"
	"strings"
	"time"

	runtime "mini/steps/07-runtime"
)

func (s *Server) routeObjects() {
	s.mux.HandleFunc("GET /networks", handle(s.listNetworks))
	s.mux.HandleFunc("GET /networks/{id}", handle(s.inspectNetwork))
	s.mux.HandleFunc("GET /volumes", handle(s.listVolumes))
	s.mux.HandleFunc("GET /volumes/{name}", handle(s.inspectVolume))
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
