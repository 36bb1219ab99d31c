// mini rm: remove stopped containers (their directory and writable layer),
// with -f running ones too (killed through their supervisor first), and
// with -v the anonymous volumes they made.

package main

import (
	"fmt"
	"syscall"

	"github.com/spf13/cobra"

	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

func newRmCommand(g *globalOptions) *cobra.Command {
	var force, volumes bool
	cmd := &cobra.Command{
		Use:   "rm [OPTIONS] CONTAINER [CONTAINER...]",
		Short: "Remove one or more containers",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			supervisor.Sweep(g.root)
			return eachArg(cmd, args, func(ref string) error { return removeContainer(g.root, ref, force, volumes) })
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "kill and remove a running container")
	cmd.Flags().BoolVarP(&volumes, "volumes", "v", false, "remove the anonymous volumes of the container")
	return cmd
}

func removeContainer(root, ref string, force, volumes bool) error {
	c, err := runtimeAt(root).Find(ref)
	if err != nil {
		return err
	}
	if c.Alive() {
		if !force {
			return fmt.Errorf("cannot remove running container %s: stop it first, or use rm -f", ref)
		}
		supervisor.LogEvent(root, "kill", c.ID, withAttr(c.EventAttrs(), "signal", "9"))
		if err := stopContainer(root, c, syscall.SIGKILL, -1); err != nil {
			return err
		}
	}
	return destroy(c, root, volumes)
}

// destroy removes a stopped container, and with volumes its anonymous
// volumes.
func destroy(c *runtime.Container, root string, volumes bool) error {
	return c.Remove(volumes)
}
