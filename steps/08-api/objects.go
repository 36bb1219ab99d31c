// The other objects a daemon keeps: networks (step 05's, as step 07
// records them) and volumes, listed, inspected, made, joined and removed.

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
	s.mux.HandleFunc("POST /networks/create", handle(s.createNetwork))
	s.mux.HandleFunc("POST /networks/{id}/connect", handle(s.connectNetwork))
	s.mux.HandleFunc("POST /networks/{id}/disconnect", handle(s.disconnectNetwork))
	s.mux.HandleFunc("DELETE /networks/{id}", handle(s.removeNetwork))
	s.mux.HandleFunc("POST /networks/prune", handle(s.pruneNetworks))
	s.mux.HandleFunc("GET /volumes", handle(s.listVolumes))
	s.mux.HandleFunc("GET /volumes/{name}", handle(s.inspectVolume))
	s.mux.HandleFunc("POST /volumes/create", handle(s.createVolume))
	s.mux.HandleFunc("DELETE /volumes/{name}", handle(s.removeVolume))
	s.mux.HandleFunc("POST /volumes/prune", handle(s.pruneVolumes))
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

// network finds a network by name, ID or ID prefix.
func (s *Server) network(id string) (*runtime.NetworkInspect, error) {
	for _, n := range s.networks() {
		if n.Name == id || len(id) >= 3 && strings.HasPrefix(n.Id, id) {
			return n, nil
		}
	}
	return nil, notFoundError("network %s not found", id)
}

func (s *Server) inspectNetwork(w http.ResponseWriter, r *http.Request) error {
	n, err := s.network(r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, n)
	return nil
}

// networkCreate is the part of Docker's create request mini reads: a
// bridge network, with a subnet and gateway if asked.
type networkCreate struct {
	Name   string
	Driver string
	IPAM   *struct{ Config []runtime.IPAMConfig }
}

func (s *Server) createNetwork(w http.ResponseWriter, r *http.Request) error {
	var req networkCreate
	if err := decodeJSON(nil, r, &req, "network create request", false); err != nil {
		return err
	}
	if req.Driver != "" && req.Driver != "bridge" {
		return badRequest("network driver %q is not supported: mini makes bridge networks", req.Driver)
	}
	var subnet, gateway string
	if req.IPAM != nil && len(req.IPAM.Config) > 0 {
		subnet, gateway = req.IPAM.Config[0].Subnet, req.IPAM.Config[0].Gateway
	}
	if _, err := s.network(req.Name); err == nil {
		return &statusError{http.StatusConflict, "network with name " + req.Name + " already exists"}
	}
	n, err := s.rt.CreateNetwork(req.Name, subnet, gateway)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"Id": n.ID, "Warning": ""})
	return nil
}

// networkConnect is Docker's connect and disconnect request.
type networkConnect struct {
	Container      string
	Force          bool
	EndpointConfig *struct {
		IPAMConfig *struct{ IPv4Address string }
	}
}

func (s *Server) connectNetwork(w http.ResponseWriter, r *http.Request) error {
	n, req, err := s.networkRequest(r)
	if err != nil {
		return err
	}
	ip := ""
	if e := req.EndpointConfig; e != nil && e.IPAMConfig != nil {
		ip = e.IPAMConfig.IPv4Address
	}
	if err := s.rt.Connect(n.Name, req.Container, ip); err != nil {
		return notFoundOr(err, "No such container: %s", req.Container)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) disconnectNetwork(w http.ResponseWriter, r *http.Request) error {
	n, req, err := s.networkRequest(r)
	if err != nil {
		return err
	}
	if err := s.rt.Disconnect(n.Name, req.Container); err != nil {
		return notFoundOr(err, "No such container: %s", req.Container)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// networkRequest reads a connect or disconnect: the network and the body.
func (s *Server) networkRequest(r *http.Request) (*runtime.NetworkInspect, *networkConnect, error) {
	n, err := s.network(r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	var req networkConnect
	if err := decodeJSON(nil, r, &req, "network request", false); err != nil {
		return nil, nil, err
	}
	return n, &req, nil
}

func (s *Server) removeNetwork(w http.ResponseWriter, r *http.Request) error {
	n, err := s.network(r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.rt.RemoveNetwork(n.Name); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// pruneNetworks removes the user networks no container is on: the
// runtime refuses the others.
func (s *Server) pruneNetworks(w http.ResponseWriter, _ *http.Request) error {
	removed := []string{}
	for _, n := range s.rt.Networks() {
		if s.rt.RemoveNetwork(n.Name) == nil {
			removed = append(removed, n.Name)
		}
	}
	writeJSON(w, http.StatusOK, map[string][]string{"NetworksDeleted": removed})
	return nil
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

func (s *Server) createVolume(w http.ResponseWriter, r *http.Request) error {
	var req struct{ Name, Driver string }
	if err := decodeJSON(nil, r, &req, "volume create request", false); err != nil {
		return err
	}
	if req.Driver != "" && req.Driver != "local" {
		return badRequest("volume driver %q is not supported: mini's volumes are local", req.Driver)
	}
	name, err := s.rt.CreateVolume(req.Name)
	if err != nil {
		return err
	}
	v, err := s.rt.InspectVolume(name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}

func (s *Server) removeVolume(w http.ResponseWriter, r *http.Request) error {
	if err := s.rt.RemoveVolume(r.PathValue("name")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) pruneVolumes(w http.ResponseWriter, _ *http.Request) error {
	removed, err := s.rt.PruneVolumes()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"VolumesDeleted": orEmpty(removed), "SpaceReclaimed": 0})
	return nil
}
