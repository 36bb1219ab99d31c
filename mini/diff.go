// mini diff: what a container added (A), changed (C) and deleted (D),
// read from its upper layer (steps/03-unionfs/diff.go).

package main

import (
	"fmt"

	"mini/mini/cli"

	"github.com/spf13/cobra"
)

func newDiffCommand(g *cli.Options) *cobra.Command {
	return &cobra.Command{
		Use:   "diff CONTAINER",
		Short: "Inspect changes to files or directories on a container's filesystem",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			changes, err := cli.Runtime(g.Root).Changes(args[0])
			if err != nil {
				return cli.WithStatus(1, err)
			}
			for _, ch := range changes {
				fmt.Fprintln(cmd.OutOrStdout(), ch)
			}
			return nil
		},
	}
}
