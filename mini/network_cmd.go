// mini network: user-defined networks, each a bridge and a subnet of its
// own (step 05). Containers on the same user network find each other by
// name: their /etc/hosts lists each other, kept up to date by their
// supervisors as they come and go. The default network, bridge, is
// always there and does not resolve names, as in Docker.

package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"mini/internal/atomicfile"
	"mini/internal/flock"
	network "mini/steps/05-network"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/store"
	"mini/steps/07-runtime/supervisor"
)

func newNetworkCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{Use: "network", Short: "Manage networks"}
	var subnet, gateway string
	create := &cobra.Command{
		Use: "create [OPTIONS] NETWORK", Short: "Create a network", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := createNetwork(g.root, args[0], subnet, gateway)
			if err != nil {
				return withStatus(1, err)
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
			RunE: func(cmd *cobra.Command, _ []string) error { return listNetworks(cmd, g.root) },
		},
		&cobra.Command{
			Use: "inspect NETWORK [NETWORK...]", Short: "Display detailed information on networks", Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error { return inspectNetworks(cmd, g.root, args) },
		},
		&cobra.Command{
			Use: "rm NETWORK [NETWORK...]", Short: "Remove networks no running container uses", Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return eachArg(cmd, args, func(name string) error { return removeNetwork(g.root, name) })
			},
		})
	prune := &cobra.Command{
		Use: "prune", Short: "Remove every user network no running container uses", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "Deleted Networks:")
			for _, n := range runtimeAt(g.root).Networks() {
				if removeNetwork(g.root, n.Name) == nil {
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
			return failed(connectNetwork(g.root, args[0], args[1], ip))
		},
	}
	connect.Flags().StringVar(&ip, "ip", "", "the container's address on that network")
	cmd.AddCommand(prune, connect, &cobra.Command{
		Use: "disconnect NETWORK CONTAINER", Short: "Disconnect a container from a network connect put it on", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return failed(disconnectNetwork(g.root, args[0], args[1]))
		},
	})
	return cmd
}

// createNetwork records the network and makes its bridge and NAT rules.
func createNetwork(root, name, subnetFlag, gatewayFlag string) (*runtime.NetworkRecord, error) {
	if !runtime.ValidName(name) || name == "bridge" || name == "none" || name == "host" {
		return nil, fmt.Errorf("invalid network name %q: [a-zA-Z0-9][a-zA-Z0-9_.-], and not bridge, none or host", name)
	}
	if err := os.MkdirAll(store.Networks(root), 0o700); err != nil {
		return nil, err
	}
	var n *runtime.NetworkRecord
	err := flock.With(store.NetworksLock(root), func() error {
		if _, err := runtimeAt(root).Network(name); err == nil {
			return fmt.Errorf("network with name %s already exists", name)
		}
		subnet, gw, err := chooseSubnet(root, subnetFlag, gatewayFlag)
		if err != nil {
			return err
		}
		id := runtime.NewID()
		n = &runtime.NetworkRecord{Name: name, ID: id, Bridge: "mini-" + id[:8], Subnet: subnet.String(), Gateway: gw.String(), Created: time.Now().UTC()}
		gateway := &net.IPNet{IP: gw, Mask: subnet.Mask}
		err = network.Locked(func() error {
			if err := network.CheckSubnet(subnet, n.Bridge); err != nil {
				return err
			}
			if err := network.EnsureBridge(n.Bridge, gateway); err != nil {
				return err
			}
			return network.EnsureNAT(n.Bridge, subnet)
		})
		if err == nil {
			data, _ := json.MarshalIndent(n, "", "  ")
			err = atomicfile.WriteBytes(store.Network(root, name), data)
		}
		if err != nil {
			supervisor.RemoveNetwork(n.Bridge, n.Subnet)
		}
		return err
	})
	return n, err
}

// chooseSubnet checks --subnet and --gateway, or picks the first free /24
// of 10.89.0.0/16 that no other network and no host route has.
func chooseSubnet(root, subnetFlag, gatewayFlag string) (*net.IPNet, net.IP, error) {
	if subnetFlag != "" {
		_, subnet, err := net.ParseCIDR(subnetFlag)
		if err != nil || subnet.IP.To4() == nil {
			return nil, nil, fmt.Errorf("invalid --subnet %q: want an IPv4 CIDR such as 10.89.1.0/24", subnetFlag)
		}
		gw := network.FirstAddress(subnet)
		if gatewayFlag != "" {
			if gw = net.ParseIP(gatewayFlag).To4(); gw == nil || !subnet.Contains(gw) {
				return nil, nil, fmt.Errorf("invalid --gateway %q: want an address of %s", gatewayFlag, subnet)
			}
		}
		return subnet, gw, nil
	}
	if gatewayFlag != "" {
		return nil, nil, fmt.Errorf("--gateway needs --subnet")
	}
	used := map[string]bool{}
	for _, n := range runtimeAt(root).Networks() {
		used[n.Subnet] = true
	}
	for i := 1; i < 255; i++ {
		_, subnet, _ := net.ParseCIDR(fmt.Sprintf("10.89.%d.0/24", i))
		if !used[subnet.String()] && network.CheckSubnet(subnet, "") == nil {
			return subnet, network.FirstAddress(subnet), nil
		}
	}
	return nil, nil, fmt.Errorf("no free /24 left in 10.89.0.0/16: pass --subnet")
}

func listNetworks(cmd *cobra.Command, root string) error {
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 3, ' ', 0)
	fmt.Fprintln(tw, "NETWORK ID\tNAME\tDRIVER\tSCOPE")
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", "-", "bridge", "bridge", "local")
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", "-", "host", "host", "local")
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", "-", "none", "null", "local")
	for _, n := range runtimeAt(root).Networks() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", n.ID[:12], n.Name, "bridge", "local")
	}
	return tw.Flush()
}

// inspectNetworks prints Docker's shape: the network, its IPAM config and
// the containers on it.
func inspectNetworks(cmd *cobra.Command, root string, names []string) error {
	type endpoint struct{ Name, IPv4Address, MacAddress string }
	type ipamConfig struct{ Subnet, Gateway string }
	type inspect struct {
		Name       string
		Id         string //nolint:revive // Docker's name
		Created    time.Time
		Driver     string
		IPAM       struct{ Config []ipamConfig }
		Options    map[string]string
		Containers map[string]endpoint
	}
	var out []inspect
	for _, name := range names {
		n, err := runtimeAt(root).Network(name)
		if err != nil {
			return withStatus(1, err)
		}
		in := inspect{Name: n.Name, Id: n.ID, Created: n.Created, Driver: "bridge", Containers: map[string]endpoint{},
			Options: map[string]string{"com.docker.network.bridge.name": n.Bridge}}
		in.IPAM.Config = []ipamConfig{{n.Subnet, n.Gateway}}
		ones := strings.Split(n.Subnet, "/")[1]
		for _, c := range containersOn(root, n.Name) {
			if st := c.State(); st.Network != nil && st.Network.Name == n.Name {
				in.Containers[c.ID] = endpoint{c.Name, st.Network.IPAddress + "/" + ones, st.Network.MacAddress}
			} else if x := connectedTo(c.Dir, n.Name); x != nil {
				in.Containers[c.ID] = endpoint{c.Name, x.IP + "/" + ones, network.MACFor(net.ParseIP(x.IP)).String()}
			}
		}
		out = append(out, in)
	}
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "    ")
	return enc.Encode(out)
}

// containersOn lists the running containers on the network name.
func containersOn(root, name string) []*runtime.Container {
	all, _ := runtimeAt(root).List()
	var out []*runtime.Container
	for _, c := range all {
		if st := c.State(); st.Pid != 0 && (st.Network != nil && st.Network.Name == name || connectedTo(c.Dir, name) != nil) {
			out = append(out, c)
		}
	}
	return out
}

// connectedTo is the container's connection to network name, if network
// connect made one.
func connectedTo(dir store.Dir, name string) *supervisor.Connection {
	for _, x := range supervisor.Connections(dir) {
		if x.Network == name {
			return &x
		}
	}
	return nil
}

// removeNetwork removes a network no running container uses: its bridge,
// its rules and its files.
func removeNetwork(root, name string) error {
	if name == "bridge" || name == "host" || name == "none" {
		return fmt.Errorf("%s is a pre-defined network and cannot be removed", name)
	}
	n, err := runtimeAt(root).Network(name)
	if err != nil {
		return err
	}
	if on := containersOn(root, name); len(on) > 0 {
		return fmt.Errorf("network %s has active endpoints (%s): stop them first", name, on[0].Name)
	}
	if err := supervisor.RemoveNetwork(n.Bridge, n.Subnet); err != nil {
		return err
	}
	os.Remove(store.Pool(root, name))
	os.Remove(store.Pool(root, name) + ".lock")
	return os.Remove(store.Network(root, name))
}

// connectNetwork gives a running container one more interface, on the
// network name: the pipework recipe, done by mini.
func connectNetwork(root, name, ref, ipFlag string) error {
	n, err := runtimeAt(root).Network(name)
	if err != nil {
		return err
	}
	c, err := runtimeAt(root).Find(ref)
	if err != nil {
		return err
	}
	st := c.State()
	if st.Pid == 0 {
		return runtime.NotRunning(ref)
	}
	subnet, gw, err := network.ParseNetwork(n.Subnet, n.Gateway)
	if err != nil {
		return err
	}
	var want net.IP
	if ipFlag != "" {
		if want = net.ParseIP(ipFlag); want == nil || !subnet.Contains(want) {
			return fmt.Errorf("invalid --ip %q: want an address of %s", ipFlag, subnet)
		}
	}
	return supervisor.ChangeConnections(c.Dir, func(conns []supervisor.Connection) ([]supervisor.Connection, error) {
		if st.Network != nil && st.Network.Name == name {
			return nil, fmt.Errorf("container %s is already on network %s", ref, name)
		}
		for _, x := range conns {
			if x.Network == name {
				return nil, fmt.Errorf("container %s is already on network %s", ref, name)
			}
		}
		pool := &network.Pool{File: store.Pool(root, name), Subnet: subnet, Gateway: gw}
		ip, err := pool.Allocate(c.ID, want)
		if err != nil {
			return nil, err
		}
		ep := network.Endpoint{HostIf: "m" + n.ID[:4] + c.ID[:8], IfName: fmt.Sprintf("eth%d", len(conns)+1),
			Address: &net.IPNet{IP: ip, Mask: subnet.Mask}, Gateway: gw, MAC: network.MACFor(ip)}
		if err := network.Connect(st.Pid, n.Bridge, ep, false); err != nil {
			pool.Release(c.ID)
			return nil, err
		}
		c.Event("connect", "network", name)
		return append(conns, supervisor.Connection{Network: name, Pool: pool.File, HostIf: ep.HostIf, IfName: ep.IfName, IP: ip.String()}), nil
	})
}

// disconnectNetwork takes a container off a network connect put it on.
func disconnectNetwork(root, name, ref string) error {
	c, err := runtimeAt(root).Find(ref)
	if err != nil {
		return err
	}
	return supervisor.ChangeConnections(c.Dir, func(conns []supervisor.Connection) ([]supervisor.Connection, error) {
		for i, x := range conns {
			if x.Network == name {
				network.Disconnect(x.HostIf)
				(&network.Pool{File: x.Pool}).Release(c.ID)
				c.Event("disconnect", "network", name)
				return append(conns[:i], conns[i+1:]...), nil
			}
		}
		return nil, fmt.Errorf("container %s is not connected to network %s (mini network connect)", ref, name)
	})
}
