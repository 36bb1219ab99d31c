// mini rm: remove stopped containers (their directory and writable layer),
// with -f running ones too (killed through their supervisor first), and
// with -v the anonymous volumes they made.

package main

import (
	"github.com/spf13/cobra"

	"mini/mini/cli"
	"mini/steps/07-runtime/supervisor"
)

func newRmCommand(g *cli.Options) *cobra.Command {
	var force, volumes bool
	cmd := &cobra.Command{
		Use:   "rm [OPTIONS] CONTAINER [CONTAINER...]",
		Short: "Remove one or more containers",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			supervisor.Sweep(g.Root)
			return eachArg(cmd, args, func(ref string) error { return removeContainer(g.Root, ref, force, volumes) })
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "kill and remove a running container")
	cmd.Flags().BoolVarP(&volumes, "volumes", "v", false, "remove the anonymous volumes of the container")
	return cmd
}

func removeContainer(root, ref string, force, volumes bool) error {
	return cli.Runtime(root).Remove(ref, force, volumes)
}
