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
