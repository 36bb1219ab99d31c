// mini exec: run one more command in a running container. The process
// joins every namespace of the container and its cgroup (how, and why it
// takes a helper: steps/01-namespaces/enter.go); it is mini's child, with
// mini's stdio, or a terminal made inside the container with -t.

package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"
	"golang.org/x/term"

	namespaces "mini/steps/01-namespaces"
	cgroups "mini/steps/02-cgroups"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

type execOptions struct {
	interactive, tty, detach, privileged bool
	envs, envFiles                       []string
	user, workdir                        string
}

func newExecCommand(g *globalOptions) *cobra.Command {
	var o execOptions
	cmd := &cobra.Command{
		Use: "exec [OPTIONS] CONTAINER COMMAND [ARG...]", Short: "Run a command in a running container", Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return execIn(g.root, args[0], args[1:], o)
		},
	}
	f := cmd.Flags()
	f.SetInterspersed(false)
	f.BoolVarP(&o.interactive, "interactive", "i", false, "keep standard input open")
	f.BoolVarP(&o.tty, "tty", "t", false, "give the command a terminal")
	f.BoolVarP(&o.detach, "detach", "d", false, "run the command in the background")
	f.BoolVar(&o.privileged, "privileged", false, "give the command every capability")
	listVarP(f, &o.envs, "env", "e", "set environment variables")
	listVar(f, &o.envFiles, "env-file", "read environment variables from a file")
	f.StringVarP(&o.user, "user", "u", "", "user to run as: name|uid[:group|gid]")
	f.StringVarP(&o.workdir, "workdir", "w", "", "working directory inside the container")
	return cmd
}

// execIn runs args in the container and returns its exit status (126 and
// 127 when it cannot be run, as for run; 125 when mini fails).
func execIn(root, ref string, args []string, o execOptions) error {
	c, err := runtimeAt(root).Find(ref)
	if err != nil {
		return withStatus(namespaces.ExitRuntime, err)
	}
	st := c.State()
	switch st.Status {
	case supervisor.StatusRunning:
	case supervisor.StatusPaused:
		return withStatus(namespaces.ExitRuntime, fmt.Errorf("container %s is paused: unpause it first", ref))
	default:
		return withStatus(namespaces.ExitRuntime, runtime.NotRunning(ref))
	}
	spec, opts, err := o.spec(root, c, args)
	if err != nil {
		return withStatus(namespaces.ExitRuntime, err)
	}
	if opts.CgroupDir != nil {
		defer opts.CgroupDir.Close()
	}
	var t terminal
	proc, err := namespaces.Enter(st.Pid, spec, opts)
	if err != nil {
		return err // a StartError: 126, 127 or 125
	}
	c.Event("exec_start", "execID", fmt.Sprint(proc.Pid()))
	if o.detach {
		return nil // the container's init adopts it when mini exits
	}
	var output chan struct{}
	if proc.Console != nil {
		output = copyConsole(&t, proc.Console, o.interactive)
		defer t.restore()
	}
	code, err := proc.Wait()
	if err != nil {
		return withStatus(namespaces.ExitRuntime, err)
	}
	if output != nil {
		<-output
	}
	c.Event("exec_die", "exitCode", fmt.Sprint(code))
	return withStatus(code, nil)
}

// spec builds the exec'd process's Spec from the container's job and the
// flags, and finds the container's cgroup for it.
func (o execOptions) spec(root string, c *runtime.Container, args []string) (*namespaces.Spec, namespaces.Options, error) {
	opts := namespaces.Options{InitBinary: initPath()}
	if o.tty && o.interactive && !term.IsTerminal(int(os.Stdin.Fd())) {
		return nil, opts, fmt.Errorf("the input device is not a TTY; drop -t or run from a terminal")
	}
	if err := checkUserSyntax(o.user); err != nil {
		return nil, opts, err
	}
	job := &c.Job
	env, err := overrideEnv(job.Spec.Env, o.envFiles, o.envs)
	if err != nil {
		return nil, opts, err
	}
	spec := &namespaces.Spec{Args: args, Env: env, User: cmpOr(o.user, job.Spec.User), Cwd: cmpOr(o.workdir, job.Spec.Cwd),
		Tty: o.tty, Privileged: o.privileged || job.Spec.Privileged}
	if o.tty {
		spec.Rows, spec.Cols, _ = terminalSize()
	}
	if !o.tty && !o.detach {
		opts.Stdio = namespaces.Stdio{Stdout: os.Stdout, Stderr: os.Stderr}
		if o.interactive {
			opts.Stdio.Stdin = os.Stdin
		}
	}
	rec, held, err := supervisor.Probe(root, c.ID)
	if err != nil || !held {
		return nil, opts, runtime.NotRunning(c.Name)
	}
	if rec.CgroupParent != "" {
		g, err := cgroups.Load(rec.CgroupParent, rec.ID)
		if err != nil {
			return nil, opts, err
		}
		if opts.CgroupDir, err = g.CloneInto(); err != nil {
			return nil, opts, err
		}
		spec.JoinFiles = g.SelfJoinFiles()
	}
	return spec, opts, nil
}

// copyConsole connects mini's terminal to the exec'd command's: raw mode
// with -i, sizes followed. The channel closes when its output ends.
func copyConsole(t *terminal, master *os.File, interactive bool) chan struct{} {
	if interactive {
		t.makeRaw()
		go io.Copy(master, os.Stdin)
	}
	t.followSize(func(rows, cols uint16) {
		unix.IoctlSetWinsize(int(master.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols})
	})
	done := make(chan struct{})
	go func() {
		io.Copy(os.Stdout, master) // EIO once the command and its children have gone
		close(done)
	}()
	return done
}
