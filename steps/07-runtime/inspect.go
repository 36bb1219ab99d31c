// Inspect: a container as docker inspect shows it (its main fields): what
// it was made from and how it runs (its record), and what is true now.

package runtime

import (
	"cmp"
	"fmt"
	"time"

	"mini/steps/07-runtime/supervisor"
)

// ContainerInspect's field names are Docker's, so that --format templates
// written for Docker ({{.Id}}, {{.State.Pid}}) work.
type ContainerInspect struct {
	Id      string    `json:"Id"` //nolint:revive // Docker's name
	Created time.Time `json:"Created"`
	Path    string    `json:"Path"`
	Args    []string  `json:"Args"`
	State   struct {
		Status     string
		Running    bool
		Paused     bool
		Restarting bool
		OOMKilled  bool
		Dead       bool
		Pid        int
		ExitCode   int
		Error      string
		StartedAt  time.Time
		FinishedAt time.Time
	}
	Image        string
	Name         string
	RestartCount int
	LogPath      string
	Config       struct {
		Hostname     string
		User         string
		Env          []string
		Cmd          []string
		Image        string
		WorkingDir   string
		Tty          bool
		OpenStdin    bool
		StdinOnce    bool
		AttachStdin  bool
		AttachStdout bool
		AttachStderr bool
	}
	HostConfig struct {
		NetworkMode   string
		Binds         []string
		RestartPolicy struct {
			Name              string
			MaximumRetryCount int
		}
		AutoRemove     bool
		Privileged     bool
		CapAdd         []string
		CapDrop        []string
		SecurityOpt    []string
		ReadonlyRootfs bool
		CgroupParent   string
		Memory         int64
		MemorySwap     int64
		CpuShares      int64
		CpuQuota       int64
		CpuPeriod      int64
		CpusetCpus     string
		CpusetMems     string
		PidsLimit      int64
	}
	NetworkSettings struct {
		IPAddress   string
		IPPrefixLen int
		Gateway     string
		MacAddress  string
		Ports       map[string][]portBinding
		Networks    map[string]*inspectNetwork
	}
	Mounts []inspectMount
}

type portBinding struct {
	HostIp   string //nolint:revive // Docker's name
	HostPort string
}

type inspectNetwork struct {
	IPAddress   string
	IPPrefixLen int
	Gateway     string
	MacAddress  string
}

type inspectMount struct {
	Type        string
	Name        string `json:",omitempty"`
	Source      string
	Destination string
	RW          bool
}

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
	ci := &ContainerInspect{Id: c.ID, Created: c.Created, Path: c.Path(), Args: c.Args(),
		Image: c.ImageID, Name: "/" + c.Name, RestartCount: st.RestartCount, LogPath: c.Dir.Log()}
	s := &ci.State
	s.Status, s.Pid, s.ExitCode, s.Error = st.Status, st.Pid, st.ExitCode, st.Error
	s.Running = st.Status == supervisor.StatusRunning || st.Status == supervisor.StatusPaused
	s.Paused, s.Restarting = st.Status == supervisor.StatusPaused, st.Status == supervisor.StatusRestarting
	s.Dead = st.Status == supervisor.StatusDead
	s.OOMKilled, s.StartedAt, s.FinishedAt = st.OOMKilled, st.StartedAt, st.FinishedAt
	cfg := &ci.Config
	cfg.Hostname, cfg.User, cfg.Env, cfg.Image = c.Spec.Hostname, c.Spec.User, c.Spec.Env, c.Image
	cfg.Cmd, cfg.WorkingDir, cfg.Tty = append([]string{c.Path()}, c.Args()...), c.Spec.Cwd, c.Spec.Tty
	cfg.AttachStdout, cfg.AttachStderr = true, true
	inspectJob(ci, &c.Job)
	ci.HostConfig.CapAdd, ci.HostConfig.CapDrop, ci.HostConfig.SecurityOpt = c.CapAdd, c.CapDrop, c.SecurityOpt
	for _, v := range c.Volumes {
		m := inspectMount{Type: "bind", Source: v.Source, Destination: v.Target, RW: !v.ReadOnly}
		if v.Name != "" {
			m.Type, m.Name = "volume", v.Name
		}
		ci.Mounts = append(ci.Mounts, m)
	}
	ns := &ci.NetworkSettings
	ns.Ports, ns.Networks = map[string][]portBinding{}, map[string]*inspectNetwork{}
	if n := st.Network; n != nil && ci.State.Running {
		ns.IPAddress, ns.IPPrefixLen, ns.Gateway, ns.MacAddress = n.IPAddress, n.IPPrefixLen, n.Gateway, n.MacAddress
		for _, m := range n.Ports {
			key := fmt.Sprintf("%d/%s", m.ContainerPort, m.Proto)
			ns.Ports[key] = append(ns.Ports[key], portBinding{HostIp: cmp.Or(m.HostIP, "0.0.0.0"), HostPort: fmt.Sprint(m.HostPort)})
		}
		ns.Networks[n.Name] = &inspectNetwork{IPAddress: n.IPAddress, IPPrefixLen: n.IPPrefixLen, Gateway: n.Gateway, MacAddress: n.MacAddress}
	}
	return ci
}

// inspectJob fills in what the job records: the HostConfig.
func inspectJob(ci *ContainerInspect, job *supervisor.Job) {
	ci.Config.OpenStdin, ci.Config.StdinOnce, ci.Config.AttachStdin = job.OpenStdin, job.StdinOnce, job.OpenStdin
	h := &ci.HostConfig
	if nj := job.Network; nj != nil {
		h.NetworkMode = nj.Mode
		if nj.Mode == "container" {
			h.NetworkMode = "container:" + nj.Target
		}
	}
	h.RestartPolicy.Name, h.RestartPolicy.MaximumRetryCount = job.Restart.Name, job.Restart.MaxRetries
	h.AutoRemove, h.Privileged, h.ReadonlyRootfs = job.AutoRemove, job.Spec.Privileged, job.Spec.ReadonlyRootfs
	for _, b := range job.Spec.Binds {
		mode := "rw"
		if b.ReadOnly {
			mode = "ro"
		}
		h.Binds = append(h.Binds, b.Source+":"+b.Target+":"+mode)
	}
	if cg := job.Cgroup; cg != nil {
		r := cg.Resources
		h.CgroupParent, h.Memory, h.MemorySwap, h.CpuShares = cg.Parent, r.Memory, r.MemorySwap, int64(r.CPUShares)
		h.CpuQuota, h.CpuPeriod, h.CpusetCpus, h.CpusetMems, h.PidsLimit = r.CPUQuota, int64(r.CPUPeriod), r.CpusetCpus, r.CpusetMems, r.PidsLimit
	}
}
