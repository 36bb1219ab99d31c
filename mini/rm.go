// mini rm: remove stopped containers (their directory and writable layer),
// with -f running ones too (killed through their supervisor first), and
// with -v the anonymous volumes they made.

package main

import (
	"fmt"
	"syscall"

	"github.com/spf13/cobra"

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
	c, err := findContainer(root, ref)
	if err != nil {
		return err
	}
	if c.alive(root) {
		if !force {
			return fmt.Errorf("cannot remove running container %s: stop it first, or use rm -f", ref)
		}
		supervisor.LogEvent(root, "kill", c.cfg.ID, withAttr(eventAttrs(c), "signal", "9"))
		if err := stopContainer(root, c, syscall.SIGKILL, -1); err != nil {
			return err
		}
	}
	return c.destroy(root, volumes)
}

// destroy removes a stopped container, and with volumes its anonymous
// volumes.
func (c *container) destroy(root string, volumes bool) error {
	if volumes {
		removeVolumes(root, anonymousVolumes(c.cfg.Volumes))
	}
	if err := c.remove(); err != nil {
		return err
	}
	supervisor.LogEvent(root, "destroy", c.cfg.ID, eventAttrs(c))
	return nil
}
