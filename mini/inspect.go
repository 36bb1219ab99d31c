// A container as docker inspect shows it (its main fields).

package main

import (
	"time"

	"mini/mini/supervisor"
)

type containerInspect struct {
	ID      string    `json:"Id"`
	Created time.Time `json:"Created"`
	Path    string    `json:"Path"`
	Args    []string  `json:"Args"`
	State   struct {
		Status     string
		Running    bool
		Paused     bool
		OOMKilled  bool
		Pid        int
		ExitCode   int
		StartedAt  time.Time
		FinishedAt time.Time
	}
	Image  string
	Name   string
	Config struct {
		Hostname   string
		User       string
		Env        []string
		Cmd        []string
		Image      string
		WorkingDir string
		Tty        bool
	}
	Mounts []inspectMount
}

type inspectMount struct {
	Type        string
	Name        string `json:",omitempty"`
	Source      string
	Destination string
	RW          bool
}

func (c *container) inspect(root string) *containerInspect {
	st := c.state(root)
	ci := &containerInspect{ID: c.cfg.ID, Created: c.cfg.Created, Path: c.cfg.Path, Args: c.cfg.Args,
		Image: c.cfg.ImageID, Name: "/" + c.cfg.Name}
	ci.State.Status, ci.State.Running = st.Status, st.Status == supervisor.StatusRunning || st.Status == supervisor.StatusPaused
	ci.State.OOMKilled, ci.State.Pid, ci.State.ExitCode = st.OOMKilled, st.Pid, st.ExitCode
	ci.State.StartedAt, ci.State.FinishedAt = st.StartedAt, st.FinishedAt
	cfg := &ci.Config
	cfg.Hostname, cfg.User, cfg.Env, cfg.Image = c.cfg.Hostname, c.cfg.User, c.cfg.Env, c.cfg.Image
	cfg.Cmd, cfg.WorkingDir, cfg.Tty = append([]string{c.cfg.Path}, c.cfg.Args...), c.cfg.WorkingDir, c.cfg.Tty
	for _, v := range c.cfg.Volumes {
		m := inspectMount{Type: "bind", Source: v.Source, Destination: v.Target, RW: !v.ReadOnly}
		if v.Name != "" {
			m.Type, m.Name = "volume", v.Name
		}
		ci.Mounts = append(ci.Mounts, m)
	}
	return ci
}
