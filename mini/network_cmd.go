// mini network: user-defined networks, each a bridge and a subnet of its
// own (step 05). Containers on the same user network find each other by
// name: their /etc/hosts lists each other, kept up to date by their
// supervisors as they come and go. The default network, bridge, is
// always there and does not resolve names, as in Docker.

package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

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
	create.Flags().StringVar(&subnet, "subnet", "", "the network's subnet, such as 10.89.1.0/24 (default: a free /24)")
	create.Flags().StringVar(&gateway, "gateway", "", "the bridge's address (default: the subnet's first)")
	cmd.AddCommand(create,
		&cobra.Command{
			Use: "ls", Short: "List networks", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error { return listNetworks(cmd, g.Root) },
		},
		&cobra.Command{
			Use: "inspect NETWORK [NETWORK...]", Short: "Display detailed information on networks", Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error { return inspectNetworks(cmd, g.Root, args) },
		},
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

func listNetworks(cmd *cobra.Command, root string) error {
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 3, ' ', 0)
	fmt.Fprintln(tw, "NETWORK ID\tNAME\tDRIVER\tSCOPE")
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", "-", "bridge", "bridge", "local")
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", "-", "host", "host", "local")
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", "-", "none", "null", "local")
	for _, n := range cli.Runtime(root).Networks() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", n.ID[:12], n.Name, "bridge", "local")
	}
	for _, u := range cli.Runtime(root).UnreadableNetworks() { // not listed: say they exist
		fmt.Fprintln(cmd.ErrOrStderr(), "mini:", u)
	}
	return tw.Flush()
}

// inspectNetworks prints Docker's shape of each network.
func inspectNetworks(cmd *cobra.Command, root string, names []string) error {
	var out []*runtime.NetworkInspect
	for _, name := range names {
		n, err := cli.Runtime(root).InspectNetwork(name)
		if err != nil {
			return cli.WithStatus(1, err)
		}
		out = append(out, n)
	}
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "    ")
	return enc.Encode(out)
}
