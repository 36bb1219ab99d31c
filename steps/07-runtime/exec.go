// Exec: one more process in a running container. It joins every namespace
// of the container and its cgroup (how, and why it takes a helper:
// steps/01-namespaces/enter.go), with the container's environment, user
// and working directory unless the options say otherwise.

package runtime

import (
	"cmp"
	"fmt"

	namespaces "mini/steps/01-namespaces"
	cgroups "mini/steps/02-cgroups"
	"mini/steps/07-runtime/supervisor"
)

// ExecOptions describe the process to run.
type ExecOptions struct {
	Cmd              []string
	Env, EnvFiles    []string // added to the container's, as for Create
	User, WorkingDir string   // "": the container's
	Tty              bool     // a terminal made inside the container
	Rows, Cols       uint16   // its size
	Privileged       bool
	Stdio            namespaces.Stdio // without Tty: the process's stdio
}

// ExecProcess is a process started by Exec.
type ExecProcess struct {
	*namespaces.Process
	c *Container
}

// Exec starts o.Cmd in the running container ref. A process that cannot
// be started is a *namespaces.StartError with Docker's 126 or 127.
func (rt *Runtime) Exec(ref string, o ExecOptions) (*ExecProcess, error) {
	c, rec, err := rt.Running(ref)
	if err != nil {
		return nil, err
	}
	st := c.State()
	if st.Status == supervisor.StatusPaused {
		return nil, conflict("container %s is paused: unpause it first", ref)
	}
	if st.Status != supervisor.StatusRunning {
		return nil, NotRunning(ref)
	}
	if err := CheckUser(o.User); err != nil {
		return nil, err
	}
	env, err := OverrideEnv(c.Spec.Env, o.EnvFiles, o.Env)
	if err != nil {
		return nil, err
	}
	// The process is confined as the container is; --privileged gives
	// it every capability, but the container's seccomp filter stays, as
	// runc applies it to every process it enters.
	spec := &namespaces.Spec{Args: o.Cmd, Env: env, User: cmp.Or(o.User, c.Spec.User), Cwd: cmp.Or(o.WorkingDir, c.Spec.Cwd),
		Tty: o.Tty, Rows: o.Rows, Cols: o.Cols, Privileged: o.Privileged || c.Spec.Privileged,
		Capabilities: c.Spec.Capabilities, Seccomp: c.Spec.Seccomp, NoNewPrivileges: c.Spec.NoNewPrivileges}
	opts := namespaces.Options{InitBinary: rt.Init, Stdio: o.Stdio}
	if rec.CgroupParent != "" {
		g, err := cgroups.Load(rec.CgroupParent, rec.ID)
		if err != nil {
			return nil, err
		}
		if opts.CgroupDir, err = g.CloneInto(); err != nil {
			return nil, err
		}
		defer opts.CgroupDir.Close()
		spec.JoinFiles = g.SelfJoinFiles()
	}
	p, err := namespaces.Enter(st.Pid, spec, opts)
	if err != nil {
		return nil, err
	}
	c.Event("exec_start", "execID", fmt.Sprint(p.Pid()))
	return &ExecProcess{Process: p, c: c}, nil
}

// Wait waits for the process and returns its exit status.
func (e *ExecProcess) Wait() (int, error) {
	code, err := e.Process.Wait()
	if err == nil {
		e.c.Event("exec_die", "exitCode", fmt.Sprint(code))
	}
	return code, err
}
