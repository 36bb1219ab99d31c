// The cable: a veth pair, one end on the host's bridge, the other in the
// container's network namespace as eth0. It is made at the sync point of
// step 01: the container's first process exists, so its namespace does,
// and it has not yet run the user's command.

package network

import (
	"fmt"
	"net"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// Endpoint is one container's end of a network.
type Endpoint struct {
	HostIf  string           // the host end's name, on the bridge
	IfName  string           // the container's end, "eth0"
	Address *net.IPNet       // the container's address and the subnet's mask
	Gateway net.IP           // the bridge's address: the default route
	MAC     net.HardwareAddr // the container's end
}

// HostIfName is the host end's name for a container: "mv" and the start
// of its ID, within the 15 characters an interface name may have.
func HostIfName(id string) string { return "mv" + id[:12] }

// MACFor is the address Docker gives: 02:42 then the IPv4 address, so that
// two containers never share one on a network.
func MACFor(ip net.IP) net.HardwareAddr {
	ip4 := ip.To4()
	return net.HardwareAddr{0x02, 0x42, ip4[0], ip4[1], ip4[2], ip4[3]}
}

// Connect plugs the container whose first process is pid into bridge: the
// veth pair is made with its container end created right in the
// container's namespace, which is then addressed, brought up and given a
// default route (when defaultRoute).
func Connect(pid int, bridge string, ep Endpoint, defaultRoute bool) error {
	ns, err := netns.GetFromPid(pid)
	if err != nil {
		return fmt.Errorf("open the network namespace of %d: %w", pid, err)
	}
	defer ns.Close()
	return ConnectNamespace(ns, bridge, ep, defaultRoute)
}

// ConnectNamespace is Connect for a network namespace given by a handle:
// a process's (/proc/PID/ns/net), or one named by ip netns
// (/run/netns/NAME).
func ConnectNamespace(ns netns.NsHandle, bridge string, ep Endpoint, defaultRoute bool) error {
	br, err := netlink.LinkByName(bridge)
	if err != nil {
		return fmt.Errorf("find bridge %s: %w", bridge, err)
	}
	// The host end is named after the container: one left by its previous
	// run, whose namespace the kernel has not finished removing, is stale.
	if stale, err := netlink.LinkByName(ep.HostIf); err == nil {
		netlink.LinkDel(stale)
	}
	la := netlink.NewLinkAttrs()
	la.Name, la.MasterIndex, la.MTU = ep.HostIf, br.Attrs().Index, br.Attrs().MTU
	veth := &netlink.Veth{LinkAttrs: la, PeerName: ep.IfName, PeerHardwareAddr: ep.MAC, PeerNamespace: netlink.NsFd(int(ns))}
	if err := netlink.LinkAdd(veth); err != nil {
		return fmt.Errorf("make veth pair %s: %w", ep.HostIf, err)
	}
	host, err := netlink.LinkByName(ep.HostIf)
	if err == nil {
		err = netlink.LinkSetUp(host)
	}
	if err == nil {
		err = configureInside(ns, ep, defaultRoute)
	}
	if err != nil {
		Disconnect(ep.HostIf)
		return err
	}
	return nil
}

// configureInside addresses the container's end from a netlink handle
// opened in the container's namespace: no thread of mini's has to enter it.
//
//lab:05,fail in the container's namespace: put ep.Address on ep.IfName, bring it up, and route by default via ep.Gateway
func configureInside(ns netns.NsHandle, ep Endpoint, defaultRoute bool) error {
	// Only rtnetlink: with no family named, the handle also opens xfrm
	// and netfilter sockets, which fail on a kernel without those modules.
	h, err := netlink.NewHandleAt(ns, unix.NETLINK_ROUTE)
	if err != nil {
		return fmt.Errorf("netlink in the container's namespace: %w", err)
	}
	defer h.Close()
	link, err := h.LinkByName(ep.IfName)
	if err != nil {
		return fmt.Errorf("find %s in the container: %w", ep.IfName, err)
	}
	if err := h.AddrAdd(link, &netlink.Addr{IPNet: ep.Address}); err != nil {
		return fmt.Errorf("address %s on %s: %w", ep.Address, ep.IfName, err)
	}
	if err := h.LinkSetUp(link); err != nil {
		return fmt.Errorf("bring %s up: %w", ep.IfName, err)
	}
	if defaultRoute {
		route := &netlink.Route{LinkIndex: link.Attrs().Index, Gw: ep.Gateway}
		if err := h.RouteAdd(route); err != nil {
			return fmt.Errorf("default route via %s: %w", ep.Gateway, err)
		}
	}
	return nil
}

// Disconnect removes the host end, and with it the pair. When the
// container's namespace goes, the kernel removes the pair itself; this is
// for the cases where it does not (a failed start, a disconnect).
func Disconnect(hostIf string) error {
	link, err := netlink.LinkByName(hostIf)
	if err != nil {
		return nil // already gone with its namespace
	}
	return netlink.LinkDel(link)
}
