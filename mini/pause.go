// mini pause / unpause: stop every process of a container where it stands,
// and let it go on, with the cgroup freezer. A paused process is not sent a
// signal and cannot notice: it is simply not scheduled until it is thawed.

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	cgroups "mini/steps/02-cgroups"
	"mini/steps/07-runtime/supervisor"
)

func newPauseCommand(g *globalOptions) *cobra.Command {
	return freezerCommand(g, "pause", "Pause all processes within one or more containers", cgroups.Group.Freeze)
}

func newUnpauseCommand(g *globalOptions) *cobra.Command {
	return freezerCommand(g, "unpause", "Unpause all processes within one or more containers", cgroups.Group.Thaw)
}

// freezerCommand applies op to each named container, printing each name as
// Docker does and going on past failures.
func freezerCommand(g *globalOptions, name, short string, op func(cgroups.Group) error) *cobra.Command {
	return &cobra.Command{
		Use:   name + " CONTAINER [CONTAINER...]",
		Short: short,
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			supervisor.Sweep(g.root)
			return eachArg(cmd, args, func(ref string) error {
				if err := freezerOp(g.root, ref, op); err != nil {
					return err
				}
				if c, err := runtimeAt(g.root).Find(ref); err == nil {
					supervisor.LogEvent(g.root, name, c.ID, c.EventAttrs())
				}
				return nil
			})
		},
	}
}

func freezerOp(root, ref string, op func(cgroups.Group) error) error {
	_, rec, err := runtimeAt(root).Running(ref)
	if err != nil {
		return err
	}
	if rec.CgroupParent == "" {
		return fmt.Errorf("container %s has no cgroup (it runs with --cgroups disabled)", ref)
	}
	grp, err := cgroups.Load(rec.CgroupParent, rec.ID)
	if err != nil {
		return err
	}
	return op(grp)
}
