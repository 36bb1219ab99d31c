// mini attach: connect mini's terminal to a running container, through
// its supervisor's socket, as the CLI of an attached run is.

package main

import (
	"errors"
	"fmt"
	"os"

	"mini/mini/cli"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newAttachCommand(g *cli.Options) *cobra.Command {
	var noStdin, sigProxy bool
	cmd := &cobra.Command{
		Use: "attach [OPTIONS] CONTAINER", Short: "Attach to a running container's input and output", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return attachTo(g.Root, args[0], !noStdin, sigProxy)
		},
	}
	cmd.Flags().BoolVar(&noStdin, "no-stdin", false, "do not attach stdin")
	cmd.Flags().BoolVar(&sigProxy, "sig-proxy", true, "pass signals mini receives to the container")
	return cmd
}

// attachTo streams until the container exits (its status becomes mini's)
// or the user detaches with Ctrl-P Ctrl-Q.
func attachTo(root, ref string, stdin, sigProxy bool) error {
	c, conn, err := cli.Runtime(root).Attach(ref)
	if err != nil {
		return cli.WithStatus(1, err)
	}
	defer conn.Close()
	job := &c.Job
	tty := job.Spec.Tty
	if tty && stdin && !term.IsTerminal(int(os.Stdin.Fd())) {
		return cli.WithStatus(1, fmt.Errorf("the input device is not a TTY; use --no-stdin, or attach from a terminal"))
	}
	var proxy *signalProxy
	if sigProxy && !tty {
		proxy = startSignalProxy()
		defer proxy.stop()
		proxy.armed()
	}
	c.Event("attach")
	opts := sessionOptions{streams: streamSet{stdin: stdin && job.OpenStdin, stdout: true, stderr: true}, tty: tty, proxy: proxy}
	rep, err := attachSession(conn, opts, true)
	if errors.Is(err, errDetached) {
		return nil
	}
	if err != nil {
		return cli.WithStatus(1, err)
	}
	return exitOf(rep, memoryOf(job))
}
