// The instructions that change only the image's config: each is an
// "empty layer" step in the image's history.

package dockerfile

import (
	"cmp"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// configEdit is what a config instruction does.
func configEdit(st *state, cmd instructions.Command) (func(*v1.Config), error) {
	switch c := cmd.(type) {
	case *instructions.EnvCommand:
		return func(cfg *v1.Config) {
			for _, kv := range c.Env {
				cfg.Env = setEnv(cfg.Env, kv.Key, kv.Value)
			}
		}, nil
	case *instructions.LabelCommand:
		return func(cfg *v1.Config) {
			if cfg.Labels == nil {
				cfg.Labels = map[string]string{}
			}
			for _, kv := range c.Labels {
				cfg.Labels[kv.Key] = kv.Value
			}
		}, nil
	case *instructions.ExposeCommand:
		ports, err := portsOf(c.Ports)
		if err != nil {
			return nil, err
		}
		return func(cfg *v1.Config) {
			if cfg.ExposedPorts == nil {
				cfg.ExposedPorts = map[string]struct{}{}
			}
			for _, p := range ports {
				cfg.ExposedPorts[p] = struct{}{}
			}
		}, nil
	case *instructions.VolumeCommand:
		return func(cfg *v1.Config) {
			if cfg.Volumes == nil {
				cfg.Volumes = map[string]struct{}{}
			}
			for _, v := range c.Volumes {
				cfg.Volumes[v] = struct{}{}
			}
		}, nil
	case *instructions.UserCommand:
		return func(cfg *v1.Config) { cfg.User = c.User }, nil
	case *instructions.WorkdirCommand:
		return func(cfg *v1.Config) {
			dir := c.Path // an absolute one as written, as Docker keeps it
			if !path.IsAbs(dir) {
				dir = path.Join("/", cfg.WorkingDir, dir)
			}
			cfg.WorkingDir = dir
		}, nil
	case *instructions.CmdCommand:
		return func(cfg *v1.Config) { cfg.Cmd = commandLine(st, c.ShellDependantCmdLine) }, nil
	case *instructions.EntrypointCommand:
		return func(cfg *v1.Config) {
			cfg.Entrypoint = commandLine(st, c.ShellDependantCmdLine)
			cfg.Cmd = nil // as Docker: a new ENTRYPOINT resets CMD
		}, nil
	case *instructions.ShellCommand:
		st.shell = c.Shell
		return func(cfg *v1.Config) { cfg.Shell = c.Shell }, nil
	case *instructions.StopSignalCommand:
		return func(cfg *v1.Config) { cfg.StopSignal = c.Signal }, nil
	case *instructions.HealthCheckCommand:
		return func(cfg *v1.Config) {
			h := c.Health
			hc := &v1.HealthConfig{Test: h.Test, Interval: h.Interval, Timeout: h.Timeout,
				StartPeriod: h.StartPeriod, Retries: h.Retries}
			// What it leaves unset (zero) comes from the one before, as
			// Docker merges a step's config with its parent's: HEALTHCHECK
			// NONE keeps the old intervals.
			if old := cfg.Healthcheck; old != nil {
				hc.Interval = cmp.Or(hc.Interval, old.Interval)
				hc.Timeout = cmp.Or(hc.Timeout, old.Timeout)
				hc.StartPeriod = cmp.Or(hc.StartPeriod, old.StartPeriod)
				hc.Retries = cmp.Or(hc.Retries, old.Retries)
			}
			cfg.Healthcheck = hc
		}, nil
	case *instructions.OnbuildCommand:
		return func(cfg *v1.Config) { cfg.OnBuild = append(cfg.OnBuild, c.Expression) }, nil
	}
	return nil, fmt.Errorf("unknown instruction: %s", strings.ToUpper(cmd.Name()))
}

// commandLine is a CMD's or ENTRYPOINT's argv: the exec form as given, the
// shell form run by the stage's shell.
func commandLine(st *state, c instructions.ShellDependantCmdLine) []string {
	if c.PrependShell {
		return append(append([]string(nil), st.shell...), strings.Join(c.CmdLine, " "))
	}
	return c.CmdLine
}

func setEnv(env []string, key, value string) []string {
	for i, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == key {
			env[i] = key + "=" + value
			return env
		}
	}
	return append(env, key+"="+value)
}

// editConfig returns img with its config changed by edit.
func editConfig(img v1.Image, edit func(*v1.ConfigFile)) (v1.Image, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	edit(cf)
	cf.Created = v1.Time{Time: now()}
	return mutate.ConfigFile(img, cf)
}

func now() time.Time { return time.Now().UTC() }

// envMap lets buildkit's shell lexer read variables.
type envMap map[string]string

func (m envMap) Get(k string) (string, bool) { v, ok := m[k]; return v, ok }

func (m envMap) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// expand expands $VAR and ${VAR} in word as a Dockerfile does.
func expand(word string, env map[string]string) (string, map[string]struct{}, error) {
	return shell.NewLex('\\').ProcessWord(word, envMap(env))
}

// expose does EXPOSE: its words expanded (buildkit's parser leaves them),
// those that come to nothing dropped, as Docker does.
func (b *builder) expose(st *state, c *instructions.ExposeCommand, env map[string]string) error {
	var ports []string
	for _, p := range c.Ports {
		p, _, err := expand(p, env)
		if err != nil {
			return fmt.Errorf("EXPOSE: %w", err)
		}
		ports = append(ports, strings.Fields(p)...)
	}
	c.Ports = ports
	edit, err := configEdit(st, c)
	if err != nil {
		return err
	}
	return b.configOnly(st, "EXPOSE "+strings.Join(ports, " "), edit)
}

// portsOf reads EXPOSE's ports: PORT or LOW-HIGH, then /tcp (the default)
// or /udp; a range is every port in it.
func portsOf(specs []string) ([]string, error) {
	var out []string
	for _, spec := range specs {
		ports, proto, _ := strings.Cut(spec, "/")
		proto = strings.ToLower(cmp.Or(proto, "tcp"))
		lo, hi, isRange := strings.Cut(ports, "-")
		first, err := strconv.ParseUint(lo, 10, 16)
		last := first
		if err == nil && isRange {
			last, err = strconv.ParseUint(hi, 10, 16)
		}
		if err != nil || first == 0 || last < first || proto != "tcp" && proto != "udp" && proto != "sctp" {
			return nil, fmt.Errorf("EXPOSE %s: invalid port: want PORT or LOW-HIGH, and /tcp, /udp or /sctp", spec)
		}
		for p := first; p <= last; p++ {
			out = append(out, fmt.Sprintf("%d/%s", p, proto))
		}
	}
	return out, nil
}
