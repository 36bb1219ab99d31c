// Command example is step 05 alone: a network namespace made by ip netns,
// plugged into a bridge of its own by a veth pair, with an address from a
// pool and a NAT rule to go out by, as a container's.
//
//	sudo ip netns add example
//	sudo go run ./steps/05-network/example example
//	sudo ip netns exec example ip addr        # eth0, 10.123.0.2/24
//	sudo ip netns exec example busybox ping -c1 10.123.0.1   # the bridge
//	sudo go run ./steps/05-network/example -down example
//	sudo ip netns del example
//
// The bridge is mini-ex0 with 10.123.0.1/24; the pool of addresses is a
// directory under /tmp, one file per address. -down takes it all away again.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"

	"github.com/vishvananda/netns"

	network "mini/steps/05-network"
)

const (
	bridge   = "mini-ex0"
	subnetIP = "10.123.0.0/24"
	hostIf   = "mv-example"
	poolDir  = "/tmp/mini-example-addresses"
)

func main() {
	down := flag.Bool("down", false, "take the namespace off the bridge, and remove the bridge and its rules")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: example [-down] NETNS (made by ip netns add NETNS)")
		os.Exit(2)
	}
	name := flag.Arg(0)
	_, subnet, _ := net.ParseCIDR(subnetIP)
	gateway := network.FirstAddress(subnet) // 10.123.0.1: the bridge's address
	pool := &network.Pool{Dir: poolDir, Subnet: subnet, Gateway: gateway}
	if *down {
		network.Disconnect(hostIf)
		pool.Release(name)
		check(network.Locked(func() error {
			if err := network.RemoveNAT(bridge, subnet); err != nil {
				return err
			}
			return network.RemoveBridge(bridge)
		}))
		pool.Remove()
		fmt.Printf("example: %s is off %s, and %s is gone\n", name, bridge, bridge)
		return
	}
	ns, err := netns.GetFromName(name) // /run/netns/NAME
	check(err)
	defer ns.Close()
	// The bridge and its NAT rules, under the host's network lock: every
	// mini on the host changes the same chains.
	check(network.Locked(func() error {
		if err := network.EnsureBridge(bridge, &net.IPNet{IP: gateway, Mask: subnet.Mask}); err != nil {
			return err
		}
		return network.EnsureNAT(bridge, subnet)
	}))
	ip, err := pool.Allocate(name, nil) // the first free address, claimed by link(2)
	check(err)
	ep := network.Endpoint{HostIf: hostIf, IfName: "eth0", Address: &net.IPNet{IP: ip, Mask: subnet.Mask},
		Gateway: gateway, MAC: network.MACFor(ip)}
	if err := network.ConnectNamespace(ns, bridge, ep, true); err != nil {
		pool.Release(name)
		check(err)
	}
	fmt.Printf("example: %s has eth0 %s (MAC %s), its default route via %s on %s\n", name, ep.Address, ep.MAC, gateway, bridge)
}

func check(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "example: %v\n", err)
		os.Exit(1)
	}
}
