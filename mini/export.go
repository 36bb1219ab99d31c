// mini export: a container's whole filesystem (its layers joined, without
// its volumes or kernel filesystems) as one tar stream, like docker export.

package main

import (
	"io"

	"github.com/spf13/cobra"

	"mini/internal/atomicfile"
	"mini/mini/cli"
)

func newExportCommand(g *cli.Options) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "export [OPTIONS] CONTAINER",
		Short: "Export a container's filesystem as a tar archive",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := exportContainer(g.Root, args[0], output, cmd.OutOrStdout()); err != nil {
				return cli.WithStatus(1, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to a file instead of standard output")
	return cmd
}

func exportContainer(root, ref, output string, stdout io.Writer) error {
	if output == "" {
		return cli.Runtime(root).Export(ref, stdout)
	}
	return atomicfile.Write(output, func(w io.Writer) error { return cli.Runtime(root).Export(ref, w) })
}
