// Inspect: a container as docker inspect shows it, in the Engine API's
// own shape (inspect_config.go says which types): what it was made from
// and how it runs (its record), and what is true now (its state).

package runtime

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/storage"
	"github.com/docker/go-connections/nat"

	"mini/steps/07-runtime/supervisor"
)

// ContainerInspect is Docker's answer to docker inspect of a container.
type ContainerInspect = container.InspectResponse

// Inspect finds a container and describes it.
func (rt *Runtime) Inspect(ref string) (*ContainerInspect, error) {
	c, err := rt.Find(ref)
	if err != nil {
		return nil, err
	}
	return c.Inspect(), nil
}

// Inspect describes the container.
func (c *Container) Inspect() *ContainerInspect {
	st := c.State()
	d := c.Dir
	base := &container.ContainerJSONBase{
		ID: c.ID, Created: apiTime(c.Created), Path: c.Path(), Args: c.Args(), State: inspectState(st),
		Image: cmp.Or(c.ImageID, ""), ResolvConfPath: d.NetworkFile("resolv.conf"), HostnamePath: d.NetworkFile("hostname"),
		HostsPath: d.NetworkFile("hosts"), LogPath: d.Log(), Name: "/" + c.Name, RestartCount: st.RestartCount,
		Driver: "overlay", Platform: "linux", HostConfig: c.inspectHostConfig(),
		GraphDriver: storage.DriverData{Name: "overlay", Data: map[string]string{
			"LowerDir": strings.Join(c.lowerWithInit(), ":"), "UpperDir": d.Upper(), "WorkDir": d.Work(), "MergedDir": d.Merged()}},
	}
	ci := &ContainerInspect{ContainerJSONBase: base, Mounts: c.inspectMounts(), Config: c.inspectConfig(),
		NetworkSettings: c.inspectNetwork(st, base.State.Running)}
	return ci
}

// apiTime is a time as the Engine API writes it: RFC 3339, to the
// nanosecond, in UTC.
func apiTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func inspectState(st *supervisor.State) *container.State {
	s := &container.State{Status: container.ContainerState(st.Status), Pid: st.Pid, ExitCode: st.ExitCode, Error: st.Error,
		OOMKilled: st.OOMKilled, StartedAt: apiTime(st.StartedAt), FinishedAt: apiTime(st.FinishedAt)}
	s.Running = st.Status == supervisor.StatusRunning || st.Status == supervisor.StatusPaused
	s.Paused, s.Restarting = st.Status == supervisor.StatusPaused, st.Status == supervisor.StatusRestarting
	s.Dead = st.Status == supervisor.StatusDead
	return s
}

// inspectMounts are the container's volumes and binds.
func (c *Container) inspectMounts() []container.MountPoint {
	out := []container.MountPoint{}
	for _, v := range c.Volumes {
		m := container.MountPoint{Type: mount.TypeBind, Source: v.Source, Destination: v.Target, RW: !v.ReadOnly,
			Mode: map[bool]string{true: "ro", false: ""}[v.ReadOnly], Propagation: mount.PropagationRPrivate}
		if v.Name != "" {
			m.Type, m.Name, m.Driver, m.Propagation = mount.TypeVolume, v.Name, "local", ""
		}
		out = append(out, m)
	}
	return out
}

// inspectNetwork is Docker's NetworkSettings: the network it is on (its
// address while it runs), and its published ports.
func (c *Container) inspectNetwork(st *supervisor.State, running bool) *container.NetworkSettings {
	ns := &container.NetworkSettings{Networks: map[string]*network.EndpointSettings{}}
	ns.Ports = nat.PortMap{}
	var aliases []string
	if nj := c.Network; nj != nil && nj.ResolveNames {
		// On a user network, Docker 20.10 names a container by its short
		// ID too (compose looks for it there).
		aliases = append(append([]string{}, nj.Aliases...), c.ID[:12])
	}
	if nj := c.Network; nj != nil && nj.Mode != supervisor.NetContainer {
		ns.Networks[cmp.Or(nj.Name, nj.Mode)] = &network.EndpointSettings{Aliases: aliases}
	}
	n := st.Network
	if n == nil || !running {
		return ns
	}
	ns.SandboxKey = fmt.Sprintf("/proc/%d/ns/net", st.Pid)
	ns.IPAddress, ns.IPPrefixLen, ns.Gateway, ns.MacAddress = n.IPAddress, n.IPPrefixLen, n.Gateway, n.MacAddress
	for _, m := range n.Ports {
		port := nat.Port(fmt.Sprintf("%d/%s", m.ContainerPort, m.Proto))
		ns.Ports[port] = append(ns.Ports[port], nat.PortBinding{HostIP: cmp.Or(m.HostIP, "0.0.0.0"), HostPort: fmt.Sprint(m.HostPort)})
	}
	ns.Networks[n.Name] = &network.EndpointSettings{IPAddress: n.IPAddress, IPPrefixLen: n.IPPrefixLen,
		Gateway: n.Gateway, MacAddress: n.MacAddress, Aliases: aliases}
	for _, x := range supervisor.Connections(c.Dir) { // network connect's
		ns.Networks[x.Network] = &network.EndpointSettings{IPAddress: x.IP}
	}
	return ns
}
