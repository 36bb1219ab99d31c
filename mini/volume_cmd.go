// mini volume: the volumes the runtime keeps
// (steps/07-runtime/volume_store.go).

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"mini/mini/cli"
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
		newVolumeInspectCommand(g),
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

func newVolumeInspectCommand(g *cli.Options) *cobra.Command {
	return newObjectInspectCommand("VOLUME", "volumes", "{{.Mountpoint}}", func(name string) (any, error) {
		return cli.Runtime(g.Root).InspectVolume(name)
	})
}

// newVolumeLsCommand is volume ls: Docker's two columns, -q the names.
func newVolumeLsCommand(g *cli.Options) *cobra.Command {
	var quiet bool
	var format string
	cmd := &cobra.Command{
		Use: "ls [OPTIONS]", Aliases: []string{"list"}, Short: "List volumes", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			names, err := cli.Runtime(g.Root).VolumeNames()
			if err != nil {
				return cli.WithStatus(1, err)
			}
			var rows []cli.VolumeRow
			for _, n := range names {
				row := cli.VolumeRow{Driver: "local", Name: n, Scope: "local", Links: "N/A", Size: "N/A"}
				if v, err := cli.Runtime(g.Root).InspectVolume(n); err == nil {
					row.Mountpoint = v.Mountpoint
				}
				rows = append(rows, row)
			}
			return cli.Failed(cli.Print(cmd.OutOrStdout(), cli.VolumeListing, format, quiet, rows))
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "only display volume names")
	cmd.Flags().StringVar(&format, "format", "", "format the list: table, json, or a Go template such as {{.Name}}")
	return cmd
}
