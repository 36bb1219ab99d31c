// The builder's RUN (step 06 asks a Runner, to stay clear of the
// runtime): each RUN instruction is a container of its own, made from the
// image so far, run attached, then kept until the builder has taken its
// upper directory as a layer.

package runtime

import (
	"errors"
	"fmt"
	"io"

	namespaces "mini/steps/01-namespaces"
	"mini/steps/07-runtime/supervisor"
)

// BuildRunner runs a build's RUN instructions with rt: step 06's Runner.
type BuildRunner struct {
	Runtime        *Runtime
	Stdout, Stderr io.Writer // the command's output
	CgroupParent   string
	Network        string // the containers' network ("bridge" by default)
}

// Run runs argv in a container made from imageID; it returns the
// container's upper directory, how to remove the container, and the
// command's status.
func (r *BuildRunner) Run(imageID string, argv, env []string, user, workdir string, out io.Writer) (string, func(), int, error) {
	co := &CreateOptions{ID: NewID(), Image: imageID, Cmd: argv, EntrypointSet: true,
		Env: env, User: user, WorkingDir: workdir, Builder: supervisor.Self(),
		Cgroup:  &supervisor.CgroupJob{Parent: r.CgroupParent, DefaultDevices: true},
		Network: NetworkOptions{Mode: r.Network}}
	fmt.Fprintf(out, " ---> Running in %s\n", co.ID[:12])
	c, err := r.Runtime.CreateFrom(co)
	if err != nil {
		return "", nil, 0, err
	}
	remove := func() { c.Remove(true) }
	code, err := r.Runtime.RunAttached(c, r.Stdout, r.Stderr)
	var se *namespaces.StartError
	switch {
	case errors.As(err, &se):
		fmt.Fprintln(out, se.Msg) // why it could not start: its status is the step's
	case err != nil:
		remove()
		return "", nil, 0, err
	}
	c.Event("build-run")
	return c.Dir.Upper(), remove, code, nil
}
