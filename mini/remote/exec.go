// exec as a client: create the exec, start it on a hijacked connection
// (or detached), stream until its end, then ask the daemon for its exit
// status: the same three requests as docker exec.

package remote

import (
	"fmt"
	"io"
	"os"

	"github.com/docker/docker/api/types/container"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"mini/mini/cli"
)

func (r *remote) execCommand() *cobra.Command {
	var o container.ExecOptions
	var detach bool
	cmd := &cobra.Command{Use: "exec [OPTIONS] CONTAINER COMMAND [ARG...]", Short: "Run a command in a running container",
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error { return r.exec(args[0], args[1:], o, detach) }}
	f := cmd.Flags()
	f.SetInterspersed(false)
	f.BoolVarP(&o.AttachStdin, "interactive", "i", false, "keep standard input open")
	f.BoolVarP(&o.Tty, "tty", "t", false, "give the command a terminal")
	f.BoolVarP(&detach, "detach", "d", false, "run the command in the background")
	f.BoolVar(&o.Privileged, "privileged", false, "give the command every capability")
	f.StringArrayVarP(&o.Env, "env", "e", nil, "set environment variables")
	f.StringVarP(&o.User, "user", "u", "", "user to run as: name|uid[:group|gid]")
	f.StringVarP(&o.WorkingDir, "workdir", "w", "", "working directory inside the container")
	return cmd
}

// exec runs the command and returns its exit status as ours (126, 127
// when it cannot run; 125 when the daemon fails).
func (r *remote) exec(ref string, argv []string, o container.ExecOptions, detach bool) error {
	if o.Tty && o.AttachStdin && !term.IsTerminal(int(os.Stdin.Fd())) {
		return cli.WithStatus(125, fmt.Errorf("the input device is not a TTY; drop -t or run from a terminal"))
	}
	o.Cmd, o.AttachStdout, o.AttachStderr = argv, !detach, !detach
	if o.Tty {
		if rows, cols, ok := cli.TerminalSize(); ok {
			o.ConsoleSize = &[2]uint{uint(rows), uint(cols)}
		}
	}
	made, err := r.c.ContainerExecCreate(r.ctx, ref, o)
	if err != nil {
		return cli.WithStatus(125, err)
	}
	if detach {
		if err := r.c.ContainerExecStart(r.ctx, made.ID, container.ExecStartOptions{Detach: true}); err != nil {
			return cli.WithStatus(125, err)
		}
		return nil
	}
	hijacked, err := r.c.ContainerExecAttach(r.ctx, made.ID, container.ExecAttachOptions{Tty: o.Tty, ConsoleSize: o.ConsoleSize})
	if err != nil {
		return cli.WithStatus(125, err)
	}
	defer hijacked.Close()
	var t cli.Terminal
	if o.Tty && o.AttachStdin {
		t.MakeRaw()
	}
	defer t.Restore()
	if o.Tty {
		t.FollowSize(func(rows, cols uint16) {
			r.c.ContainerExecResize(r.ctx, made.ID, container.ResizeOptions{Height: uint(rows), Width: uint(cols)})
		})
	}
	if o.AttachStdin {
		go func() {
			io.Copy(hijacked.Conn, os.Stdin)
			hijacked.CloseWrite()
		}()
	}
	copyOutput(hijacked.Reader, o.Tty)
	in, err := r.c.ContainerExecInspect(r.ctx, made.ID)
	if err != nil {
		return cli.WithStatus(125, err)
	}
	return cli.WithStatus(in.ExitCode, nil)
}
