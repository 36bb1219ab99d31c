// mini exec: run one more command in a running container (the runtime's
// Exec). It is mini's child, with pipes to mini's stdio (never mini's own
// descriptors: a file or terminal of the host would be the container's to
// read, rewrite or type into, long after exec returned), or a terminal
// made inside the container with -t.

package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"mini/mini/cli"
	namespaces "mini/steps/01-namespaces"
	runtime "mini/steps/07-runtime"
)

type execOptions struct {
	interactive, tty, detach, privileged bool
	envs, envFiles                       []string
	user, workdir                        string
}

func newExecCommand(g *cli.Options) *cobra.Command {
	var o execOptions
	cmd := &cobra.Command{
		Use: "exec [OPTIONS] CONTAINER COMMAND [ARG...]", Short: "Run a command in a running container", Args: cobra.MinimumNArgs(2),
		Example: `  mini exec -it web sh          # a shell beside its processes
  mini exec -u 1000 -w /tmp web id
  mini exec -e DEBUG=1 web env`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return execIn(g.Root, args[0], args[1:], o)
		},
	}
	f := cmd.Flags()
	f.SetInterspersed(false)
	f.BoolVarP(&o.interactive, "interactive", "i", false, "keep standard input open")
	f.BoolVarP(&o.tty, "tty", "t", false, "give the command a terminal")
	f.BoolVarP(&o.detach, "detach", "d", false, "run the command in the background")
	f.BoolVar(&o.privileged, "privileged", false, "give the command every capability")
	f.StringArrayVarP(&o.envs, "env", "e", nil, "set environment variables")
	f.StringArrayVar(&o.envFiles, "env-file", nil, "read environment variables from a file")
	f.StringVarP(&o.user, "user", "u", "", "user to run as: name|uid[:group|gid]")
	f.StringVarP(&o.workdir, "workdir", "w", "", "working directory inside the container")
	return cmd
}

// execIn runs args in the container and returns its exit status (126 and
// 127 when it cannot be run, as for run; 125 when mini fails).
func execIn(root, ref string, args []string, o execOptions) error {
	if o.tty && o.interactive && !term.IsTerminal(int(os.Stdin.Fd())) {
		return fmt.Errorf("the input device is not a TTY; drop -t or run from a terminal")
	}
	eo := runtime.ExecOptions{Cmd: args, Env: o.envs, EnvFiles: o.envFiles, User: o.user, WorkingDir: o.workdir,
		Tty: o.tty, Privileged: o.privileged}
	if o.tty {
		eo.Rows, eo.Cols, _ = cli.TerminalSize()
	}
	var streams *execStreams
	if !o.tty && !o.detach {
		var err error
		if streams, err = newExecStreams(o.interactive); err != nil {
			return err
		}
		eo.Stdio = streams.child
	}
	proc, err := cli.Runtime(root).Exec(ref, eo)
	if streams != nil {
		streams.started() // the child has its ends, or failed
	}
	if err != nil {
		return err // a StartError: 126, 127 or 125; any other failure: 125
	}
	if o.detach {
		return nil // the container's init adopts it when mini exits
	}
	var t cli.Terminal
	var output chan struct{}
	if proc.Console != nil {
		output = copyConsole(&t, proc.Console, o.interactive)
		defer t.Restore()
	}
	code, err := proc.Wait()
	if err != nil {
		return err
	}
	if output != nil {
		<-output
	}
	if streams != nil {
		streams.drain()
	}
	return cli.WithStatus(code, nil)
}

// execStreams are the pipes between mini's stdio and an exec'd command's.
type execStreams struct {
	child  namespaces.Stdio // the ends the command gets
	copies sync.WaitGroup   // output still being copied
}

// newExecStreams makes pipes for stdout and stderr, and stdin with -i,
// and copies between them and mini's own.
func newExecStreams(interactive bool) (*execStreams, error) {
	s := &execStreams{}
	for _, out := range []struct {
		to   *os.File
		slot **os.File
	}{{os.Stdout, &s.child.Stdout}, {os.Stderr, &s.child.Stderr}} {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, fmt.Errorf("exec output pipe: %w", err)
		}
		*out.slot = w
		s.copies.Add(1)
		go func() {
			defer s.copies.Done()
			io.Copy(out.to, r)
			r.Close()
		}()
	}
	if interactive {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, fmt.Errorf("exec input pipe: %w", err)
		}
		s.child.Stdin = r
		go func() {
			io.Copy(w, os.Stdin)
			w.Close() // EOF for the command
		}()
	}
	return s, nil
}

// started closes mini's copies of the command's ends, so that the output
// pipes end when the command (and whatever inherited them) closes them.
func (s *execStreams) started() {
	for _, f := range []*os.File{s.child.Stdin, s.child.Stdout, s.child.Stderr} {
		if f != nil {
			f.Close()
		}
	}
}

// drain waits for the output the command wrote before it exited. A child
// it left in the background may keep the pipes open: it is given a moment,
// not forever, as docker exec returns when its command exits.
func (s *execStreams) drain() {
	done := make(chan struct{})
	go func() { s.copies.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}

// copyConsole connects mini's terminal to the exec'd command's: raw mode
// with -i, sizes followed. The channel closes when its output ends.
func copyConsole(t *cli.Terminal, master *os.File, interactive bool) chan struct{} {
	if interactive {
		t.MakeRaw()
		go io.Copy(master, os.Stdin)
	}
	t.FollowSize(func(rows, cols uint16) {
		unix.IoctlSetWinsize(int(master.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols})
	})
	done := make(chan struct{})
	go func() {
		io.Copy(os.Stdout, master) // EIO once the command and its children have gone
		close(done)
	}()
	return done
}
