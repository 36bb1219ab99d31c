// RUN: the command runs in a container made from the image so far; what
// it changed becomes the step's layer.

package dockerfile

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	unionfs "mini/steps/03-unionfs"
)

// proxyArgs are the build arguments every RUN sees without an ARG, and
// that no cache key includes: Docker's predefined ones.
var proxyArgs = []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
	"NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"}

// run does RUN: from the cache if a build before made this step, else the
// command runs in a container made from the image so far, with the
// image's Env and the build arguments, its User and WorkingDir, and what
// it changed (the container's upper directory) becomes the step's layer.
//
//lab:06,fail RUN: look the step up in the cache, else run argv in a container of the image so far and commit its changes as a layer
func (b *builder) run(st *state, c *instructions.RunCommand) error {
	argv, err := runArgv(st, c)
	if err != nil {
		return err
	}
	createdBy := runHistory(st, argv)
	key := b.keyOf(st, "RUN "+createdBy, argsOf(st))
	if b.fromCache(st, key) {
		return nil
	}
	rec, err := b.stored(st)
	if err != nil {
		return err
	}
	cfg, err := st.img.ConfigFile()
	if err != nil {
		return err
	}
	env := append([]string(nil), cfg.Config.Env...)
	for k, v := range st.args { // build arguments are the command's variables too
		if !hasEnv(env, k) {
			env = append(env, k+"="+v)
		}
	}
	for _, k := range proxyArgs {
		if v, ok := b.o.BuildArgs[k]; ok && !hasEnv(env, k) {
			env = append(env, k+"="+v)
		}
	}
	upper, remove, code, err := b.o.Runner.Run(rec.ID, argv, env, cfg.Config.User, cfg.Config.WorkingDir, b.o.Out)
	if err != nil {
		return err
	}
	defer remove()
	if code != 0 {
		return &RunError{Command: createdBy, Code: code}
	}
	if entries, err := os.ReadDir(upper); err == nil && len(entries) == 0 {
		// Nothing changed: an empty layer in the history, and no layer,
		// as Docker's builder records it.
		return b.emptyRun(st, key, createdBy)
	}
	layer, drop, err := b.layerOf(upper)
	if err != nil {
		return err
	}
	defer drop()
	img, err := mutate.Append(st.img, mutate.Addendum{Layer: layer, History: v1.History{Created: v1.Time{Time: now()}, CreatedBy: createdBy}})
	if err != nil {
		return err
	}
	return b.done(st, img, key)
}

// runArgv is RUN's command: the exec form as given, the shell form run by
// the stage's shell, and a heredoc (RUN <<EOF ... EOF) run by the shell as
// a script.
func runArgv(st *state, c *instructions.RunCommand) ([]string, error) {
	if len(c.Files) == 0 {
		return commandLine(st, c.ShellDependantCmdLine), nil
	}
	line := strings.TrimSpace(strings.Join(c.CmdLine, " "))
	if len(c.Files) == 1 && c.PrependShell && strings.HasPrefix(line, "<<") && !strings.Contains(line, " ") {
		return append(append([]string(nil), st.shell...), c.Files[0].Data), nil
	}
	return nil, fmt.Errorf("RUN %s: mini runs a heredoc only as the whole script (RUN <<EOF)", line)
}

func hasEnv(env []string, key string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, key+"=") {
			return true
		}
	}
	return false
}

// layerOf makes a layer of a container's upper directory (step 03's
// whiteouts become the layer's .wh. entries). drop removes its file once
// the store has the layer.
func (b *builder) layerOf(upper string) (v1.Layer, func(), error) {
	return b.layerFrom(func(w io.Writer) error { return unionfs.WriteLayer(w, upper) })
}

// layerFrom makes a layer of the tar write writes, in a file of the store.
func (b *builder) layerFrom(write func(io.Writer) error) (v1.Layer, func(), error) {
	tmp, err := b.o.Store.TempFile("build-layer")
	if err != nil {
		return nil, nil, err
	}
	drop := func() { os.Remove(tmp.Name()) }
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		drop()
		return nil, nil, fmt.Errorf("write the layer: %w", err)
	}
	layer, err := tarball.LayerFromFile(tmp.Name())
	if err != nil {
		drop()
		return nil, nil, err
	}
	return layer, drop, nil
}

// RunError is a RUN whose command failed: the build ends with the
// command's own status, as Docker's classic builder does.
type RunError struct {
	Command string
	Code    int
}

func (e *RunError) Error() string {
	return fmt.Sprintf("the command '%s' returned a non-zero code: %d", e.Command, e.Code)
}

// emptyRun records a RUN that changed nothing: a history entry marked
// empty, and no layer, as Docker's builder records it.
func (b *builder) emptyRun(st *state, key, createdBy string) error {
	img, err := editConfig(st.img, func(cf *v1.ConfigFile) {
		cf.History = append(cf.History, v1.History{Created: v1.Time{Time: now()}, CreatedBy: createdBy, EmptyLayer: true})
	})
	if err != nil {
		return err
	}
	return b.done(st, img, key)
}

// runHistory is a RUN's words in the history, as Docker's classic builder
// writes them: the command, after "|N K=V..." when build arguments not
// set by ENV are in its environment (they change what it makes).
func runHistory(st *state, argv []string) string {
	cmd := strings.Join(argv, " ")
	cfg, err := st.img.ConfigFile()
	if err != nil {
		return cmd
	}
	var args []string
	for k, v := range st.args {
		if !hasEnv(cfg.Config.Env, k) {
			args = append(args, k+"="+v)
		}
	}
	if len(args) == 0 {
		return cmd
	}
	sort.Strings(args)
	return fmt.Sprintf("|%d %s %s", len(args), strings.Join(args, " "), cmd)
}
