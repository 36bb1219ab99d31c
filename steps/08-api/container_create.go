// POST /containers/create: docker run's first half. The body is the
// Engine API's CreateRequest, the Config (what runs) and the HostConfig
// (how it runs on the host), already parsed by the client: sizes are
// bytes, CPUs are billionths, ports are structured. It becomes the
// runtime's CreateOptions, the same the mini command builds from flags.

package api

import (
	"cmp"
	"fmt"
	"net/http"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"

	cgroups "mini/steps/02-cgroups"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

func (s *Server) createContainer(w http.ResponseWriter, r *http.Request) error {
	var req container.CreateRequest
	if err := decodeJSON(w, r, &req, "create request", false); err != nil {
		return err
	}
	if req.Config == nil {
		return badRequest("config cannot be empty in order to create a container")
	}
	hc := req.HostConfig
	if hc == nil {
		hc = &container.HostConfig{}
	}
	o, err := s.createOptions(r.URL.Query().Get("name"), req.Config, hc, req.NetworkingConfig)
	if err != nil {
		return err
	}
	c, err := s.rt.CreateFrom(o)
	if err != nil {
		return err // a missing image is the runtime's 404: the client pulls it
	}
	writeJSON(w, http.StatusCreated, container.CreateResponse{ID: c.ID, Warnings: []string{}})
	return nil
}

// createOptions turns the request into the runtime's options.
func (s *Server) createOptions(name string, cfg *container.Config, hc *container.HostConfig, nc *network.NetworkingConfig) (*runtime.CreateOptions, error) {
	cg, err := s.cgroupJob(hc)
	if err != nil {
		return nil, err
	}
	o := &runtime.CreateOptions{ID: runtime.NewID(), Name: name, Image: cfg.Image, Cmd: cfg.Cmd,
		Env: cfg.Env, Hostname: cfg.Hostname, User: cfg.User, WorkingDir: cfg.WorkingDir,
		Tty: cfg.Tty, OpenStdin: cfg.OpenStdin, Privileged: hc.Privileged, ReadOnly: hc.ReadonlyRootfs,
		CapAdd: hc.CapAdd, CapDrop: hc.CapDrop, SecurityOpt: hc.SecurityOpt,
		Volumes: hc.Binds, VolumesFrom: hc.VolumesFrom, Cgroup: cg, Network: s.networkOptions(cfg, hc, nc),
		Restart:    supervisor.RestartPolicy{Name: cmp.Or(string(hc.RestartPolicy.Name), "no"), MaxRetries: hc.RestartPolicy.MaximumRetryCount},
		AutoRemove: hc.AutoRemove}
	// The runtime takes one entrypoint word, as --entrypoint gives it; the
	// rest of a longer one goes before the command, which is how they join.
	if cfg.Entrypoint != nil {
		o.EntrypointSet = true
		if len(cfg.Entrypoint) > 0 {
			o.Entrypoint = cfg.Entrypoint[0]
			o.Cmd = append(append([]string{}, cfg.Entrypoint[1:]...), cfg.Cmd...)
		}
	}
	for k, v := range cfg.Labels {
		o.Labels = append(o.Labels, k+"="+v)
	}
	for k, v := range hc.LogConfig.Config {
		o.LogOpts = append(o.LogOpts, k+"="+v)
	}
	if t := hc.LogConfig.Type; t != "" && t != "json-file" {
		return nil, badRequest("logging driver %q: mini keeps json-file logs only", t)
	}
	return o, nil
}

// networkOptions are docker run's network flags, from their API form:
// the endpoint's settings on its network (--ip, --network-alias) are in
// the networking config.
func (s *Server) networkOptions(cfg *container.Config, hc *container.HostConfig, nc *network.NetworkingConfig) runtime.NetworkOptions {
	n := runtime.NetworkOptions{Mode: string(hc.NetworkMode), DNS: hc.DNS, DNSSearch: hc.DNSSearch,
		DNSOptions: hc.DNSOptions, ExtraHosts: hc.ExtraHosts, Links: hc.Links, PublishAll: hc.PublishAllPorts}
	if n.Mode == "" || n.Mode == "default" {
		n.Mode = s.DefaultNetwork
	}
	if nc != nil && nc.EndpointsConfig[n.Mode] != nil {
		ep := nc.EndpointsConfig[n.Mode]
		n.Aliases = ep.Aliases
		if ep.IPAMConfig != nil {
			n.IP = ep.IPAMConfig.IPv4Address
		}
	}
	for p := range cfg.ExposedPorts {
		n.Expose = append(n.Expose, string(p))
	}
	for p, bindings := range hc.PortBindings {
		for _, b := range bindings {
			host := b.HostPort
			if b.HostIP != "" {
				host = b.HostIP + ":" + host
			}
			n.Publish = append(n.Publish, strings.TrimPrefix(host+":"+string(p), ":"))
		}
	}
	return n
}

// cgroupJob is the container's group from the HostConfig's resources:
// limits in bytes and billionths of a CPU, as the client sent them.
func (s *Server) cgroupJob(hc *container.HostConfig) (*supervisor.CgroupJob, error) {
	r := cgroups.Resources{Memory: hc.Memory, MemorySwap: hc.MemorySwap, CPUShares: uint64(max(hc.CPUShares, 0)),
		CpusetCpus: hc.CpusetCpus, CpusetMems: hc.CpusetMems}
	if r.Memory > 0 && r.MemorySwap == 0 {
		r.MemorySwap = 2 * r.Memory // Docker's default: as much swap as memory
	}
	if hc.NanoCPUs > 0 {
		var err error
		if r.CPUQuota, r.CPUPeriod, err = cgroups.CPUsToQuota(float64(hc.NanoCPUs) / 1e9); err != nil {
			return nil, badRequest("%v", err)
		}
	}
	if hc.PidsLimit != nil && *hc.PidsLimit > 0 {
		r.PidsLimit = *hc.PidsLimit
	}
	memory := ""
	if hc.Memory > 0 {
		memory = fmt.Sprintf("%db", hc.Memory)
	}
	return &supervisor.CgroupJob{Parent: cmp.Or(hc.CgroupParent, s.CgroupParent), Resources: r, Memory: memory,
		DefaultDevices: !hc.Privileged}, nil
}
