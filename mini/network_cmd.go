// mini network: user-defined networks, each a bridge and a subnet of its
// own (step 05). Containers on the same user network find each other by
// name: their /etc/hosts lists each other, kept up to date by their
// supervisors as they come and go. The default network, bridge, is
// always there and does not resolve names, as in Docker.

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
)

func newNetworkCommand(g *cli.Options) *cobra.Command {
	cmd := &cobra.Command{Use: "network", Short: "Manage networks"}
	var subnet, gateway string
	create := &cobra.Command{
		Use: "create [OPTIONS] NETWORK", Short: "Create a network", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := cli.Runtime(g.Root).CreateNetwork(args[0], subnet, gateway)
			if err != nil {
				return cli.WithStatus(1, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), n.ID)
			return nil
		},
	}
	create.Flags().StringVar(&subnet, "subnet", "", "the network's subnet, such as 10.67.1.0/24 (default: a free /24)")
	create.Flags().StringVar(&gateway, "gateway", "", "the bridge's address (default: the subnet's first)")
	cmd.AddCommand(create,
		newNetworkLsCommand(g),
		newNetworkInspectCommand(g),
		&cobra.Command{
			Use: "rm NETWORK [NETWORK...]", Short: "Remove networks no running container uses", Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return eachArg(cmd, args, cli.Runtime(g.Root).RemoveNetwork)
			},
		})
	prune := &cobra.Command{
		Use: "prune", Short: "Remove every user network no running container uses", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "Deleted Networks:")
			for _, n := range cli.Runtime(g.Root).Networks() {
				if cli.Runtime(g.Root).RemoveNetwork(n.Name) == nil {
					fmt.Fprintln(cmd.OutOrStdout(), n.Name)
				}
			}
			return nil
		},
	}
	forceFlag(prune)
	var ip string
	connect := &cobra.Command{
		Use: "connect [OPTIONS] NETWORK CONTAINER", Short: "Connect a running container to one more network", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Failed(cli.Runtime(g.Root).Connect(args[0], args[1], ip))
		},
	}
	connect.Flags().StringVar(&ip, "ip", "", "the container's address on that network")
	cmd.AddCommand(prune, connect, &cobra.Command{
		Use: "disconnect NETWORK CONTAINER", Short: "Disconnect a container from a network connect put it on", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Failed(cli.Runtime(g.Root).Disconnect(args[0], args[1]))
		},
	})
	return cmd
}

type networkLsOptions struct {
	quiet, noTrunc bool
	format         string
}

// listNetworks lists the three networks mini always has, then the user's.
func newNetworkLsCommand(g *cli.Options) *cobra.Command {
	var o networkLsOptions
	cmd := &cobra.Command{
		Use: "ls [OPTIONS]", Aliases: []string{"list"}, Short: "List networks", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cli.Failed(listNetworks(cmd, g.Root, o)) },
	}
	f := cmd.Flags()
	f.BoolVarP(&o.quiet, "quiet", "q", false, "only display network IDs")
	f.BoolVar(&o.noTrunc, "no-trunc", false, "do not truncate the IDs")
	f.StringVar(&o.format, "format", "", "format the list: table, json, or a Go template such as {{.Name}}")
	return cmd
}

func listNetworks(cmd *cobra.Command, root string, o networkLsOptions) error {
	rows := []cli.NetworkRow{
		{ID: runtime.BuiltinNetworkID("bridge"), Name: "bridge", Driver: "bridge"},
		{ID: runtime.BuiltinNetworkID("host"), Name: "host", Driver: "host"},
		{ID: runtime.BuiltinNetworkID("none"), Name: "none", Driver: "null"},
	}
	for _, n := range cli.Runtime(root).Networks() {
		rows = append(rows, cli.NetworkRow{ID: n.ID, Name: n.Name, Driver: "bridge", CreatedAt: n.Created.String()})
	}
	for i := range rows {
		rows[i].Scope, rows[i].IPv6, rows[i].Internal = "local", "false", "false"
		if !o.noTrunc {
			rows[i].ID = rows[i].ID[:12]
		}
	}
	for _, u := range cli.Runtime(root).UnreadableNetworks() { // not listed: say they exist
		fmt.Fprintln(cmd.ErrOrStderr(), "mini:", u)
	}
	return cli.Print(cmd.OutOrStdout(), cli.NetworkListing, o.format, o.quiet, rows)
}

// newNetworkInspectCommand prints Docker's shape of each network.
func newNetworkInspectCommand(g *cli.Options) *cobra.Command {
	return newObjectInspectCommand("NETWORK", "networks", "{{.IPAM.Config}}", func(name string) (any, error) {
		return cli.Runtime(g.Root).InspectNetwork(name)
	})
}
