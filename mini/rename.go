// mini rename: give a container another name. Names are unique: the check
// and the change happen under the store's lock.

package main

import (
	"github.com/spf13/cobra"

	"mini/mini/cli"
)

func newRenameCommand(g *cli.Options) *cobra.Command {
	return &cobra.Command{
		Use: "rename CONTAINER NEW_NAME", Short: "Rename a container", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Failed(renameContainer(g.Root, args[0], args[1]))
		},
	}
}

func renameContainer(root, ref, name string) error {
	return cli.Runtime(root).Rename(ref, name)
}
