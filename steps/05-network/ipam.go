// The address pool: each container on a network gets an address of the
// subnet that no other container has. The allocations are a file, changed
// under a lock, so that mini processes starting containers at the same
// moment never hand out one address twice.

package network

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"

	"mini/internal/atomicfile"
	"mini/internal/flock"
)

// Pool is one network's addresses, kept in a file.
type Pool struct {
	File    string
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

// allocations maps an address to the container holding it.
type allocations map[string]string

// Allocate gives owner an address: want when it is given and free, else
// the lowest free one. An owner that has one already gets it again.
func (p *Pool) Allocate(owner string, want net.IP) (net.IP, error) {
	var got net.IP
	err := p.change(func(a allocations) error {
		for ip, o := range a {
			if o == owner {
				got = net.ParseIP(ip)
				return nil
			}
		}
		if want != nil {
			if err := p.usable(want); err != nil {
				return err
			}
			if o, taken := a[want.String()]; taken {
				return fmt.Errorf("address %s is already in use by container %.12s", want, o)
			}
			got = want
		} else if got = p.lowestFree(a); got == nil {
			return fmt.Errorf("no free address left in %s", p.Subnet)
		}
		a[got.String()] = owner
		return nil
	})
	return got, err
}

// Release frees owner's address; an owner without one is no error.
func (p *Pool) Release(owner string) error {
	return p.change(func(a allocations) error {
		for ip, o := range a {
			if o == owner {
				delete(a, ip)
			}
		}
		return nil
	})
}

// Allocations maps each address handed out to its owner.
func (p *Pool) Allocations() (map[string]string, error) { return p.read() }

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

// change reads the allocations, applies fn and writes them back, all
// under the pool's lock.
func (p *Pool) change(fn func(allocations) error) error {
	return flock.With(p.File+".lock", func() error {
		a, err := p.read()
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
		data, _ := json.MarshalIndent(a, "", "  ")
		return atomicfile.WriteBytes(p.File, data)
	})
}

func (p *Pool) read() (allocations, error) {
	a := allocations{}
	data, err := os.ReadFile(p.File)
	if errors.Is(err, os.ErrNotExist) {
		return a, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("read %s: %w", p.File, err)
	}
	return a, nil
}

func toUint(ip net.IP) uint32 { return binary.BigEndian.Uint32(ip.To4()) }

func fromUint(n uint32) net.IP {
	ip := make(net.IP, 4)
	binary.BigEndian.PutUint32(ip, n)
	return ip
}
