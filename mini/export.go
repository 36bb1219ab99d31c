// mini export: a container's whole filesystem (its layers joined, without
// its volumes or kernel filesystems) as one tar stream, like docker export.

package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	unionfs "mini/steps/03-unionfs"
)

func newExportCommand(g *globalOptions) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "export [OPTIONS] CONTAINER",
		Short: "Export a container's filesystem as a tar archive",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := exportContainer(g.root, args[0], output, cmd.OutOrStdout()); err != nil {
				return withStatus(1, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to a file instead of standard output")
	return cmd
}

func exportContainer(root, ref, output string, stdout io.Writer) error {
	view, err := openContainerRoot(root, ref, false)
	if err != nil {
		return err
	}
	defer view.Close()
	if output == "" {
		return unionfs.WriteTar(stdout, unionfs.FdPath(view), "")
	}
	// Written under a temporary name: a failed export leaves no half file.
	tmp := output + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("export to %s: %w", output, err)
	}
	err = unionfs.WriteTar(f, unionfs.FdPath(view), "")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, output)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
