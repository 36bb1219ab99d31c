// mini volume: the volumes the runtime keeps
// (steps/07-runtime/volume_store.go).

package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
)

func newVolumeCommand(g *cli.Options) *cobra.Command {
	cmd := &cobra.Command{Use: "volume", Short: "Manage volumes"}
	cmd.AddCommand(
		&cobra.Command{
			Use: "create [NAME]", Short: "Create a volume", Args: cobra.MaximumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				name := ""
				if len(args) == 1 {
					name = args[0]
				}
				name, err := cli.Runtime(g.Root).CreateVolume(name)
				if err != nil {
					return cli.WithStatus(1, err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), name)
				return nil
			},
		},
		newVolumeLsCommand(g),
		&cobra.Command{
			Use: "inspect VOLUME [VOLUME...]", Short: "Display detailed information on volumes", Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return inspectVolumes(cmd, g.Root, args)
			},
		},
		&cobra.Command{
			Use: "rm VOLUME [VOLUME...]", Short: "Remove volumes no container uses", Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return eachArg(cmd, args, cli.Runtime(g.Root).RemoveVolume)
			},
		},
		&cobra.Command{
			Use: "prune", Short: "Remove all volumes no container uses", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				removed, err := cli.Runtime(g.Root).PruneVolumes()
				if err != nil {
					return cli.WithStatus(1, err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), "Deleted Volumes:")
				for _, n := range removed {
					fmt.Fprintln(cmd.OutOrStdout(), n)
				}
				return nil
			},
		},
	)
	return cmd
}

func inspectVolumes(cmd *cobra.Command, root string, names []string) error {
	var out []*runtime.VolumeInfo
	for _, n := range names {
		v, err := cli.Runtime(root).InspectVolume(n)
		if err != nil {
			return cli.WithStatus(1, err)
		}
		out = append(out, v)
	}
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "    ")
	return enc.Encode(out)
}

// newVolumeLsCommand is volume ls: Docker's two columns, or -q the names.
func newVolumeLsCommand(g *cli.Options) *cobra.Command {
	var quiet bool
	cmd := &cobra.Command{
		Use: "ls [OPTIONS]", Short: "List volumes", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			names, err := cli.Runtime(g.Root).VolumeNames()
			if err != nil {
				return cli.WithStatus(1, err)
			}
			if quiet {
				for _, n := range names {
					fmt.Fprintln(cmd.OutOrStdout(), n)
				}
				return nil
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 4, ' ', 0)
			fmt.Fprintln(tw, "DRIVER\tVOLUME NAME")
			for _, n := range names {
				fmt.Fprintf(tw, "local\t%s\n", n)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "only display volume names")
	return cmd
}
