// mini top: a container's processes as the host sees them (the runtime's
// TopTable); with ps options, the host's ps columns, as Docker does.

package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/docker/docker/api/types/container"
	"github.com/spf13/cobra"

	"mini/mini/cli"
)

func newTopCommand(g *cli.Options) *cobra.Command {
	cmd := &cobra.Command{
		Use: "top CONTAINER [ps OPTIONS]", Short: "Display the running processes of a container", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			top, err := cli.Runtime(g.Root).TopTable(args[0], args[1:])
			if err != nil {
				return cli.WithStatus(1, err)
			}
			return cli.Failed(printTop(cmd.OutOrStdout(), top))
		},
	}
	cmd.Flags().SetInterspersed(false)
	return cmd
}

// printTop prints the table as docker's client does.
func printTop(w io.Writer, top *container.TopResponse) error {
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	fmt.Fprintln(tw, strings.Join(top.Titles, "\t"))
	for _, p := range top.Processes {
		fmt.Fprintln(tw, strings.Join(p, "\t"))
	}
	return tw.Flush()
}
