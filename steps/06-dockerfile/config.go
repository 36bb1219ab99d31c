// The instructions that change only the image's config: each is an
// "empty layer" step in the image's history.

package dockerfile

import (
	"fmt"
	"path"
	"sort"
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
	case *instructions.MaintainerCommand:
		return func(cfg *v1.Config) { setLabel(cfg, "maintainer", c.Maintainer) }, nil
	case *instructions.ExposeCommand:
		return func(cfg *v1.Config) {
			if cfg.ExposedPorts == nil {
				cfg.ExposedPorts = map[string]struct{}{}
			}
			for _, p := range c.Ports {
				if !strings.Contains(p, "/") {
					p += "/tcp"
				}
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
			dir := c.Path
			if !path.IsAbs(dir) {
				dir = path.Join("/", cfg.WorkingDir, dir)
			}
			cfg.WorkingDir = path.Clean(dir)
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
			cfg.Healthcheck = &v1.HealthConfig{Test: h.Test, Interval: h.Interval, Timeout: h.Timeout,
				StartPeriod: h.StartPeriod, Retries: h.Retries}
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

func setLabel(cfg *v1.Config, k, v string) {
	if cfg.Labels == nil {
		cfg.Labels = map[string]string{}
	}
	cfg.Labels[k] = v
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
