// What a container was made with, as inspect shows it: Docker's Config
// (the image's defaults and the options that changed them) and
// HostConfig (how it runs on the host). The shapes are the Engine API's
// own types (github.com/docker/docker/api/types, at the last version
// that still has API 1.41's fields), so that mini inspect prints the keys
// docker inspect prints, and a later API server can reuse them.

package runtime

import (
	"cmp"
	"fmt"
	"maps"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/go-connections/nat"

	namespaces "mini/steps/01-namespaces"
	"mini/steps/07-runtime/supervisor"
)

// containerConfig is the part of Docker's Config fixed at create: the
// command's halves, and what the image says of ports, volumes, labels,
// its stop signal, health check and triggers.
func (o *CreateOptions) containerConfig(src *rootSource, vols []Volume, labels map[string]string, userEnv []string) *container.Config {
	ep, cmd := src.entrypointAndCmd(o.Cmd, o.Entrypoint, o.EntrypointSet)
	cfg := &container.Config{Image: o.Image, Entrypoint: ep, Cmd: cmd, ExposedPorts: nat.PortSet{}}
	// Docker's Config.Env: the user's variables, then the image's the user
	// did not set. (The process's environment adds PATH, HOSTNAME and TERM
	// to them, as Docker's does at the start.)
	cfg.Env = append([]string(nil), userEnv...)
	if src.cfg != nil {
		cfg.Env = append(cfg.Env, unsetIn(cfg.Env, src.cfg.Config.Env)...)
	}
	if src.cfg != nil {
		ic := src.cfg.Config
		for p := range ic.ExposedPorts {
			cfg.ExposedPorts[nat.Port(p)] = struct{}{}
		}
		cfg.Volumes = maps.Clone(ic.Volumes)
		cfg.StopSignal, cfg.OnBuild, cfg.Healthcheck = ic.StopSignal, ic.OnBuild, ic.Healthcheck
	}
	cfg.Labels = labels
	for _, e := range o.Network.Expose {
		cfg.ExposedPorts[nat.Port(portWithProto(e))] = struct{}{}
	}
	for _, v := range vols {
		if v.Anonymous {
			if cfg.Volumes == nil {
				cfg.Volumes = map[string]struct{}{}
			}
			cfg.Volumes[v.Target] = struct{}{}
		}
	}
	return cfg
}

// unsetIn are the variables of vars whose keys env does not set.
func unsetIn(env, vars []string) []string {
	set := map[string]bool{}
	for _, kv := range env {
		key, _, _ := strings.Cut(kv, "=")
		set[key] = true
	}
	var out []string
	for _, kv := range vars {
		if key, _, _ := strings.Cut(kv, "="); !set[key] {
			out = append(out, kv)
		}
	}
	return out
}

// portWithProto is PORT/PROTO, tcp when none is given.
func portWithProto(p string) string {
	if strings.Contains(p, "/") {
		return p
	}
	return p + "/tcp"
}

// inspectConfig is Docker's Config: what create fixed, and what the Spec
// says of the process.
func (c *Container) inspectConfig() *container.Config {
	cfg := &container.Config{}
	if c.Config != nil {
		copied := *c.Config
		cfg = &copied
	} else { // made before mini recorded it: the command whole
		cfg.Image, cfg.Cmd = c.Image, append([]string{c.Path()}, c.Args()...)
	}
	cfg.Hostname, cfg.User, cfg.WorkingDir = c.Spec.Hostname, c.Spec.User, c.Spec.Cwd
	if cfg.Env == nil { // made before mini recorded Docker's: the process's
		cfg.Env = c.Spec.Env
	}
	cfg.Tty, cfg.OpenStdin, cfg.StdinOnce = c.Spec.Tty, c.OpenStdin, c.StdinOnce
	cfg.AttachStdin, cfg.AttachStdout, cfg.AttachStderr = c.OpenStdin, true, true
	if cfg.ExposedPorts == nil {
		cfg.ExposedPorts = nat.PortSet{}
	}
	if nj := c.Network; nj != nil {
		for _, m := range nj.Ports { // -p's ports are exposed too, as in Docker
			cfg.ExposedPorts[nat.Port(fmt.Sprintf("%d/%s", m.ContainerPort, m.Proto))] = struct{}{}
		}
	}
	if len(cfg.ExposedPorts) == 0 {
		cfg.ExposedPorts = nil
	}
	return cfg
}

// inspectHostConfig is Docker's HostConfig, from the job.
func (c *Container) inspectHostConfig() *container.HostConfig {
	job := &c.Job
	logOpts := c.LogOpts
	if logOpts == nil {
		logOpts = map[string]string{}
	}
	h := &container.HostConfig{
		LogConfig:      container.LogConfig{Type: "json-file", Config: logOpts},
		RestartPolicy:  container.RestartPolicy{Name: container.RestartPolicyMode(restartName(job.Restart.Name)), MaximumRetryCount: job.Restart.MaxRetries},
		AutoRemove:     job.AutoRemove,
		Privileged:     job.Spec.Privileged,
		ReadonlyRootfs: job.Spec.ReadonlyRootfs,
		CapAdd:         c.CapAdd,
		CapDrop:        c.CapDrop,
		SecurityOpt:    c.SecurityOpt,
		PortBindings:   nat.PortMap{},
		CgroupnsMode:   "private",
		IpcMode:        "private",
		Runtime:        "mini",
		ConsoleSize:    [2]uint{0, 0},
		DNS:            []string{},
		DNSOptions:     []string{},
		DNSSearch:      []string{},
	}
	if !job.Spec.Privileged { // what step 01 masks, as Docker's default
		h.MaskedPaths, h.ReadonlyPaths = namespaces.MaskedPaths, namespaces.ReadonlyPaths
	}
	for _, v := range c.Volumes { // -v as given, as Docker's: VOLUME:/dir, /host:/dir[:ro]
		if v.Anonymous {
			continue
		}
		b := cmp.Or(v.Name, v.Source) + ":" + v.Target
		if v.ReadOnly {
			b += ":ro"
		}
		h.Binds = append(h.Binds, b)
	}
	if nj := job.Network; nj != nil {
		h.NetworkMode = container.NetworkMode(nj.Mode)
		if nj.Mode == supervisor.NetContainer {
			h.NetworkMode = container.NetworkMode("container:" + nj.Target)
		}
		h.DNS, h.DNSSearch, h.DNSOptions = orEmpty(nj.DNS), orEmpty(nj.DNSSearch), orEmpty(nj.DNSOptions)
		for _, x := range nj.ExtraHosts {
			for _, n := range x.Names {
				h.ExtraHosts = append(h.ExtraHosts, n+":"+x.IP)
			}
		}
		for _, l := range nj.Links {
			h.Links = append(h.Links, "/"+l.Name+":/"+c.Name+"/"+l.Alias)
		}
		for _, m := range nj.Ports {
			port := nat.Port(fmt.Sprintf("%d/%s", m.ContainerPort, m.Proto))
			hostPort := ""
			if m.HostPort != 0 {
				hostPort = fmt.Sprint(m.HostPort)
			}
			h.PortBindings[port] = append(h.PortBindings[port], nat.PortBinding{HostIP: m.HostIP, HostPort: hostPort})
		}
	}
	if cg := job.Cgroup; cg != nil {
		r := cg.Resources
		h.CgroupParent, h.Memory, h.MemorySwap, h.CPUShares = cg.Parent, r.Memory, r.MemorySwap, int64(r.CPUShares)
		h.CPUQuota, h.CPUPeriod, h.CpusetCpus, h.CpusetMems = r.CPUQuota, int64(r.CPUPeriod), r.CpusetCpus, r.CpusetMems
		if r.PidsLimit != 0 {
			limit := r.PidsLimit
			h.PidsLimit = &limit
		}
	}
	h.Devices, h.Ulimits = []container.DeviceMapping{}, []*container.Ulimit{}
	h.BlkioWeightDevice, h.BlkioDeviceReadBps, h.BlkioDeviceWriteBps = nil, nil, nil
	return h
}

// restartName is Docker's name of no policy: "no".
func restartName(name string) string {
	if name == "" {
		return "no"
	}
	return name
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// exposedPorts are the ports the container exposes ("80/tcp"), published
// or not: what --link's variables name.
func (c *Container) exposedPorts() []string {
	var out []string
	for p := range c.inspectConfig().ExposedPorts {
		out = append(out, string(p))
	}
	return out
}
