// The network flags of run and create (step 05): --net, --ip, --dns*,
// --add-host, turned into the supervisor's NetworkJob.
//
// The default network, "bridge", is a bridge named by $MINI_BRIDGE (else
// mini0) with the subnet $MINI_SUBNET (else 10.88.0.0/16, Podman's); its
// first address is the gateway. The scenarios give each scenario a bridge
// and subnet of its own through these. $MINI_NETWORK changes the default
// --net (the VM suite, which has no iptables, sets none).

package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"mini/mini/supervisor"
	network "mini/steps/05-network"
)

// networkOptions are the network flags.
type networkOptions struct {
	mode, ip                               string
	dns, dnsSearch, dnsOptions, extraHosts []string
}

func addNetworkFlags(f *pflag.FlagSet, o *networkOptions) {
	def := cmpOr(os.Getenv("MINI_NETWORK"), "bridge")
	f.StringVar(&o.mode, "network", def, "connect the container to a network: bridge, none, host or container:NAME (env MINI_NETWORK)")
	f.StringVar(&o.mode, "net", def, "the same as --network")
	f.StringVar(&o.ip, "ip", "", "the container's IPv4 address on the bridge network")
	f.StringArrayVar(&o.dns, "dns", nil, "a DNS server for /etc/resolv.conf")
	f.StringArrayVar(&o.dnsSearch, "dns-search", nil, "a DNS search domain")
	f.StringArrayVar(&o.dnsOptions, "dns-option", nil, "a DNS option")
	f.StringArrayVar(&o.extraHosts, "add-host", nil, "a line for /etc/hosts: HOST:IP")
}

// defaultBridge and defaultSubnet are the default network's.
func defaultBridge() string { return cmpOr(os.Getenv("MINI_BRIDGE"), "mini0") }
func defaultSubnet() string { return cmpOr(os.Getenv("MINI_SUBNET"), "10.88.0.0/16") }

// networkJob checks the flags and describes the container's network.
func (o *networkOptions) networkJob(root, id, hostname string) (*supervisor.NetworkJob, error) {
	nj := &supervisor.NetworkJob{Hostname: hostname, DNS: o.dns, DNSSearch: o.dnsSearch, DNSOptions: o.dnsOptions}
	for _, h := range o.extraHosts {
		name, ip, ok := strings.Cut(h, ":")
		if !ok || name == "" || net.ParseIP(ip) == nil {
			return nil, fmt.Errorf("invalid --add-host %q: want HOST:IP", h)
		}
		nj.ExtraHosts = append(nj.ExtraHosts, network.Host{IP: ip, Names: []string{name}})
	}
	for _, d := range o.dns {
		if net.ParseIP(d) == nil {
			return nil, fmt.Errorf("invalid --dns %q: want an IP address", d)
		}
	}
	mode, target, _ := strings.Cut(o.mode, ":")
	if o.ip != "" && mode != supervisor.NetBridge {
		return nil, fmt.Errorf("--ip needs the bridge network, not --net %s", o.mode)
	}
	switch mode {
	case supervisor.NetNone, supervisor.NetHost:
		nj.Mode = mode
	case supervisor.NetContainer:
		c, err := findContainer(root, target)
		if err != nil {
			return nil, fmt.Errorf("--net container:%s: %w", target, err)
		}
		nj.Mode, nj.Target = mode, c.dir
	case supervisor.NetBridge:
		return o.bridgeJob(root, nj)
	default:
		return nil, fmt.Errorf("invalid --net %q: want bridge, none, host or container:NAME", o.mode)
	}
	return nj, nil
}

// bridgeJob fills in the default bridge network.
func (o *networkOptions) bridgeJob(root string, nj *supervisor.NetworkJob) (*supervisor.NetworkJob, error) {
	_, subnet, err := net.ParseCIDR(defaultSubnet())
	if err != nil || subnet.IP.To4() == nil {
		return nil, fmt.Errorf("invalid subnet %q ($MINI_SUBNET): want an IPv4 CIDR such as 10.88.0.0/16", defaultSubnet())
	}
	gw := make(net.IP, 4)
	copy(gw, subnet.IP.To4())
	gw[3]++
	if o.ip != "" {
		ip := net.ParseIP(o.ip)
		if ip == nil || ip.To4() == nil || !subnet.Contains(ip) {
			return nil, fmt.Errorf("invalid --ip %q: want an address of the network's subnet %s", o.ip, subnet)
		}
	}
	nj.Mode, nj.Name, nj.Bridge = supervisor.NetBridge, "bridge", defaultBridge()
	nj.Subnet, nj.Gateway, nj.IP = subnet.String(), gw.String(), o.ip
	nj.Pool = bridgePool(root)
	if err := os.MkdirAll(filepath.Dir(nj.Pool), 0o700); err != nil {
		return nil, err
	}
	return nj, nil
}

// bridgePool is the bridge network's address pool in the state root.
func bridgePool(root string) string { return filepath.Join(root, "networks", "bridge.addresses.json") }
