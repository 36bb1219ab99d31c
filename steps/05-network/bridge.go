// The bridge: a software switch on the host, one per network. Its own
// address is the network's gateway.

package network

import (
	"errors"
	"fmt"
	"net"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// EnsureBridge makes the bridge if it is missing, gives it the gateway
// address and brings it up. Safe to call again: what exists stays.
func EnsureBridge(name string, gateway *net.IPNet) error {
	br, err := netlink.LinkByName(name)
	if err != nil {
		la := netlink.NewLinkAttrs()
		la.Name = name
		if err := netlink.LinkAdd(&netlink.Bridge{LinkAttrs: la}); err != nil && !errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("make bridge %s: %w", name, err)
		}
		if br, err = netlink.LinkByName(name); err != nil {
			return fmt.Errorf("find bridge %s: %w", name, err)
		}
	}
	if _, ok := br.(*netlink.Bridge); !ok {
		return fmt.Errorf("%s exists and is a %s, not a bridge: choose another bridge name", name, br.Type())
	}
	err = netlink.AddrAdd(br, &netlink.Addr{IPNet: gateway})
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("address %s on bridge %s: %w", gateway, name, err)
	}
	if err := netlink.LinkSetUp(br); err != nil {
		return fmt.Errorf("bring bridge %s up: %w", name, err)
	}
	return nil
}

// RemoveBridge deletes the bridge; a bridge already gone is no error.
func RemoveBridge(name string) error {
	br, err := netlink.LinkByName(name)
	if err != nil {
		return nil
	}
	if err := netlink.LinkDel(br); err != nil {
		return fmt.Errorf("remove bridge %s: %w", name, err)
	}
	return nil
}

// CheckSubnet refuses a subnet that overlaps one of the host's routes
// (other than the bridge's own): the host could not tell where to send
// packets for the overlap.
func CheckSubnet(subnet *net.IPNet, bridge string) error {
	routes, err := netlink.RouteList(nil, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("read the host's routes: %w", err)
	}
	br, _ := netlink.LinkByName(bridge)
	for _, r := range routes {
		if r.Dst == nil || (br != nil && r.LinkIndex == br.Attrs().Index) {
			continue // the default route, or the bridge's own
		}
		if ones, _ := r.Dst.Mask.Size(); ones == 0 {
			continue // the default route, written as 0.0.0.0/0
		}
		if r.Dst.Contains(subnet.IP) || subnet.Contains(r.Dst.IP) {
			return fmt.Errorf("subnet %s collides with the host's route to %s: choose another subnet", subnet, r.Dst)
		}
	}
	return nil
}

// Label writes text into the bridge's alias: free text the kernel keeps
// with a link (ip link shows it). mini writes there the path of the record
// that describes the network, so that the bridge of a record lost or
// damaged can still be found, and removed.
func Label(name, text string) error {
	br, err := netlink.LinkByName(name)
	if err != nil {
		return fmt.Errorf("find bridge %s: %w", name, err)
	}
	if err := netlink.LinkSetAlias(br, text); err != nil {
		return fmt.Errorf("label bridge %s: %w", name, err)
	}
	return nil
}

// Labelled finds the bridge whose alias is text, and its subnet: the one
// of the gateway address it holds. "" when there is none.
func Labelled(text string) (string, *net.IPNet) {
	links, _ := netlink.LinkList()
	for _, l := range links {
		if _, ok := l.(*netlink.Bridge); !ok || l.Attrs().Alias != text {
			continue
		}
		addrs, _ := netlink.AddrList(l, netlink.FAMILY_V4)
		if len(addrs) == 0 {
			return l.Attrs().Name, nil
		}
		a := addrs[0].IPNet
		return l.Attrs().Name, &net.IPNet{IP: a.IP.Mask(a.Mask), Mask: a.Mask}
	}
	return "", nil
}
