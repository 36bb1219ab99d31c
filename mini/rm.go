// mini rm: remove stopped containers (their directory and writable layer),
// with -f running ones too (killed through their cgroup first), and with -v
// the anonymous volumes they made.

package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"mini/mini/supervisor"
	cgroups "mini/steps/02-cgroups"
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
		if err := killAndWait(root, c.cfg.ID); err != nil {
			return err
		}
	}
	if volumes {
		removeVolumes(root, anonymousVolumes(c.cfg.Volumes))
	}
	return c.remove()
}

// killAndWait kills every process of a running container and waits for
// the mini that runs it to finish its cleanup (its run lock to go).
func killAndWait(root, id string) error {
	rec, err := runningRecord(root, id)
	if err != nil {
		return err
	}
	if rec.CgroupParent == "" {
		return fmt.Errorf("container %s has no cgroup to kill it through (--cgroups disabled): stop it from its mini", id[:12])
	}
	g, err := cgroups.Load(rec.CgroupParent, rec.ID)
	if err != nil {
		return err
	}
	if err := g.Kill(); err != nil {
		return err
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := runningRecord(root, id); err != nil {
			return nil
		}
	}
	return fmt.Errorf("container %s was killed but its mini has not finished", id[:12])
}
