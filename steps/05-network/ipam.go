// The address pool: each container on a network gets an address of the
// subnet that no other container has.
//
// The pool belongs to the bridge, not to one mini: two state roots may put
// containers on one bridge, and they must never hand out one address
// twice. So it lives beside the host's other shared state, in
// /run/mini/addresses/BRIDGE (under /run, gone at a reboot with the bridge
// itself): one file per address handed out, named by the address and
// holding its owner's ID. CNI's host-local IPAM keeps the same layout.
//
// Taking an address is one system call that either succeeds or finds the
// address taken: link(2) of a file already written, with the owner's ID in
// it, to the address's name. link never replaces a name that exists, so no
// lock is needed; and a claim is never half-written, since the name
// appears only once its content is complete. A file damaged all the same
// (a hand that edited it, a disk that lost it) blocks its own address and
// no other: one bad entry can never stop every start, as one bad file of
// all the allocations would.

package network

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// poolsDir holds one pool per bridge.
const poolsDir = "/run/mini/addresses"

// PoolDir is the directory of a bridge's address pool.
func PoolDir(bridge string) string { return filepath.Join(poolsDir, bridge) }

// Pool is one network's addresses: a directory, one file per address.
type Pool struct {
	Dir     string
	Subnet  *net.IPNet
	Gateway net.IP
}

// ParseNetwork reads a network's subnet and gateway, as recorded in CIDR
// and dotted form.
func ParseNetwork(subnetCIDR, gateway string) (*net.IPNet, net.IP, error) {
	_, subnet, err := net.ParseCIDR(subnetCIDR)
	if err != nil {
		return nil, nil, err
	}
	gw := net.ParseIP(gateway).To4()
	if gw == nil || !subnet.Contains(gw) {
		return nil, nil, fmt.Errorf("gateway %q is not an address of %s", gateway, subnet)
	}
	return subnet, gw, nil
}

// FirstAddress is the subnet's first address: the gateway by default.
func FirstAddress(subnet *net.IPNet) net.IP {
	return fromUint(toUint(subnet.IP.To4()) + 1)
}

// allocations maps an address to the container holding it ("" when its
// file cannot be read: the address is taken all the same).
type allocations map[string]string

// Allocate gives owner an address: want when it is given and free, else
// the lowest free one. An owner that has one already gets it again.
func (p *Pool) Allocate(owner string, want net.IP) (net.IP, error) {
	if err := os.MkdirAll(p.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("address pool: %w", err)
	}
	a, err := p.read()
	if err != nil {
		return nil, err
	}
	for ip, o := range a {
		if o == owner {
			return net.ParseIP(ip), nil
		}
	}
	if want != nil {
		if err := p.claimWanted(owner, want); err != nil {
			return nil, err
		}
		return want, nil
	}
	for {
		ip := p.lowestFree(a)
		if ip == nil {
			return nil, fmt.Errorf("no free address left in %s", p.Subnet)
		}
		err := p.claim(ip, owner)
		if !errors.Is(err, fs.ErrExist) {
			return ip, err
		}
		a[ip.String()] = "" // another mini took it meanwhile: try the next
	}
}

// claimWanted takes the address --ip asked for, or says who has it.
func (p *Pool) claimWanted(owner string, want net.IP) error {
	if err := p.usable(want); err != nil {
		return err
	}
	err := p.claim(want.To4(), owner)
	if errors.Is(err, fs.ErrExist) {
		o, _ := p.ownerOf(want.To4().String())
		return fmt.Errorf("address %s is already in use by container %.12s", want, o)
	}
	return err
}

// claim takes ip for owner: the owner's ID is written to a file of its
// own, then linked to the address's name, which fails with EEXIST when
// the address is taken.
func (p *Pool) claim(ip net.IP, owner string) error {
	f, err := os.CreateTemp(p.Dir, ".claim-*")
	if err != nil {
		return fmt.Errorf("address pool: %w", err)
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString(owner + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("address pool: %w", err)
	}
	return os.Link(f.Name(), filepath.Join(p.Dir, ip.String()))
}

// Release frees owner's addresses; an owner without one is no error.
func (p *Pool) Release(owner string) error {
	a, err := p.read()
	if err != nil {
		return err
	}
	for ip, o := range a {
		if o == owner {
			if err := os.Remove(filepath.Join(p.Dir, ip)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// ReleaseEverywhere frees owner's addresses in every bridge's pool: what a
// sweep does for a container whose supervisor died.
func ReleaseEverywhere(owner string) {
	dirs, _ := filepath.Glob(filepath.Join(poolsDir, "*"))
	for _, dir := range dirs {
		(&Pool{Dir: dir}).Release(owner)
	}
}

// Allocations maps each address handed out to its owner.
func (p *Pool) Allocations() (map[string]string, error) { return p.read() }

// Remove deletes the pool, once its bridge is gone.
func (p *Pool) Remove() error { return os.RemoveAll(p.Dir) }

// usable refuses an address outside the subnet, the subnet's own address,
// its broadcast address, and the gateway's.
func (p *Pool) usable(ip net.IP) error {
	ip4 := ip.To4()
	if ip4 == nil || !p.Subnet.Contains(ip4) {
		return fmt.Errorf("address %s is not in the network's subnet %s", ip, p.Subnet)
	}
	n, first, last := toUint(ip4), toUint(p.Subnet.IP.To4()), p.last()
	if n == first || n == last || ip4.Equal(p.Gateway.To4()) {
		return fmt.Errorf("address %s is reserved in %s (the subnet, its broadcast or its gateway)", ip, p.Subnet)
	}
	return nil
}

// lowestFree is the lowest address of the subnet that is neither taken
// nor the gateway's, leaving out the subnet's own and its broadcast; nil
// when none is left.
//
//lab:05 find the lowest free address between the subnet's first and its broadcast, skipping the gateway
func (p *Pool) lowestFree(a allocations) net.IP {
	for n := toUint(p.Subnet.IP.To4()) + 1; n < p.last(); n++ {
		ip := fromUint(n)
		if _, taken := a[ip.String()]; !taken && !ip.Equal(p.Gateway.To4()) {
			return ip
		}
	}
	return nil
}

func (p *Pool) last() uint32 {
	ones, bits := p.Subnet.Mask.Size()
	return toUint(p.Subnet.IP.To4()) | (1<<(bits-ones) - 1)
}

// read lists the addresses taken and their owners. Names that are no
// address (a claim being made) are passed by.
func (p *Pool) read() (allocations, error) {
	a := allocations{}
	entries, err := os.ReadDir(p.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return a, nil
	}
	if err != nil {
		return nil, fmt.Errorf("address pool: %w", err)
	}
	for _, e := range entries {
		if ip := net.ParseIP(e.Name()); ip != nil && ip.To4() != nil {
			a[e.Name()], _ = p.ownerOf(e.Name())
		}
	}
	return a, nil
}

// ownerOf is the ID in an address's file.
func (p *Pool) ownerOf(ip string) (string, error) {
	data, err := os.ReadFile(filepath.Join(p.Dir, ip))
	return strings.TrimSpace(string(data)), err
}

func toUint(ip net.IP) uint32 { return binary.BigEndian.Uint32(ip.To4()) }

func fromUint(n uint32) net.IP {
	ip := make(net.IP, 4)
	binary.BigEndian.PutUint32(ip, n)
	return ip
}
