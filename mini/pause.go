// mini pause / unpause: stop every process of a container where it stands,
// and let it go on, with the cgroup freezer. A paused process is not sent a
// signal and cannot notice: it is simply not scheduled until it is thawed.

package main

import (
	"github.com/spf13/cobra"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

func newPauseCommand(g *cli.Options) *cobra.Command {
	return freezerCommand(g, "pause", "Pause all processes within one or more containers", func(rt *runtime.Runtime, ref string) error { return rt.Pause(ref) })
}

func newUnpauseCommand(g *cli.Options) *cobra.Command {
	return freezerCommand(g, "unpause", "Unpause all processes within one or more containers", func(rt *runtime.Runtime, ref string) error { return rt.Unpause(ref) })
}

// freezerCommand applies op to each named container, printing each name as
// Docker does and going on past failures.
func freezerCommand(g *cli.Options, name, short string, op func(*runtime.Runtime, string) error) *cobra.Command {
	return &cobra.Command{
		Use:   name + " CONTAINER [CONTAINER...]",
		Short: short,
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			supervisor.Sweep(g.Root)
			rt := cli.Runtime(g.Root)
			return eachArg(cmd, args, func(ref string) error { return op(rt, ref) })
		},
	}
}
