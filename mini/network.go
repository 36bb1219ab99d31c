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
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	network "mini/steps/05-network"
	"mini/steps/07-runtime/store"
	"mini/steps/07-runtime/supervisor"
)

// networkOptions are the network flags.
type networkOptions struct {
	mode, ip                               string
	dns, dnsSearch, dnsOptions, extraHosts []string
	publish, expose, links                 []string
	publishAll                             bool
}

func addNetworkFlags(f *pflag.FlagSet, o *networkOptions) {
	def := cmpOr(os.Getenv("MINI_NETWORK"), "bridge")
	f.StringVar(&o.mode, "network", def, "connect the container to a network: bridge, none, host or container:NAME (env MINI_NETWORK)")
	f.StringVar(&o.mode, "net", def, "the same as --network")
	f.StringVar(&o.ip, "ip", "", "the container's IPv4 address on the bridge network")
	listVar(f, &o.dns, "dns", "a DNS server for /etc/resolv.conf")
	listVar(f, &o.dnsSearch, "dns-search", "a DNS search domain")
	listVar(f, &o.dnsOptions, "dns-option", "a DNS option")
	listVar(f, &o.extraHosts, "add-host", "a line for /etc/hosts: HOST:IP")
	listVarP(f, &o.publish, "publish", "p", "publish a port: [IP:][HOSTPORT:]PORT[/tcp|udp]")
	f.BoolVarP(&o.publishAll, "publish-all", "P", false, "publish every exposed port on a free host port")
	listVar(f, &o.expose, "expose", "expose a port: PORT[/tcp|udp]")
	listVar(f, &o.links, "link", "link to a running container: NAME[:ALIAS] (/etc/hosts and environment variables)")
}

// defaultBridge and defaultSubnet are the default network's.
func defaultBridge() string { return cmpOr(os.Getenv("MINI_BRIDGE"), "mini0") }
func defaultSubnet() string { return cmpOr(os.Getenv("MINI_SUBNET"), "10.88.0.0/16") }

// networkJob checks the flags and describes the container's network.
// exposed are the image's exposed ports ("80/tcp"), for -P.
func (o *networkOptions) networkJob(root, id, hostname string, exposed []string) (*supervisor.NetworkJob, error) {
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
	user := mode != supervisor.NetNone && mode != supervisor.NetHost && mode != supervisor.NetContainer
	if o.ip != "" && !user {
		return nil, fmt.Errorf("--ip needs the bridge network, not --net %s", o.mode)
	}
	ports, err := o.ports(exposed)
	if err != nil {
		return nil, err
	}
	if len(ports) > 0 && !user {
		return nil, fmt.Errorf("published ports need the bridge network, not --net %s", o.mode)
	}
	nj.Ports = ports
	for _, l := range o.links {
		name, alias, _ := strings.Cut(l, ":")
		c, err := runtimeAt(root).Find(name)
		if err != nil {
			return nil, fmt.Errorf("--link %s: %w", l, err)
		}
		nj.Links = append(nj.Links, supervisor.Link{Target: c.ID, Name: c.Name, Alias: cmpOr(alias, c.Name)})
	}
	switch mode {
	case supervisor.NetNone, supervisor.NetHost:
		nj.Mode = mode
	case supervisor.NetContainer:
		c, err := runtimeAt(root).Find(target)
		if err != nil {
			return nil, fmt.Errorf("--net container:%s: %w", target, err)
		}
		nj.Mode, nj.Target = mode, c.ID
	case supervisor.NetBridge:
		return o.bridgeJob(root, nj)
	default:
		n, err := readNetwork(root, o.mode)
		if err != nil {
			return nil, fmt.Errorf("invalid --net %q: want bridge, none, host, container:NAME or a network made with mini network create", o.mode)
		}
		return o.userNetworkJob(root, n, nj)
	}
	return nj, nil
}

// userNetworkJob connects to a user network: its bridge and subnet, and
// names resolved between its containers.
func (o *networkOptions) userNetworkJob(root string, n *networkRecord, nj *supervisor.NetworkJob) (*supervisor.NetworkJob, error) {
	_, subnet, err := net.ParseCIDR(n.Subnet)
	if err != nil {
		return nil, err
	}
	if o.ip != "" {
		if ip := net.ParseIP(o.ip); ip == nil || !subnet.Contains(ip) {
			return nil, fmt.Errorf("invalid --ip %q: want an address of the network's subnet %s", o.ip, subnet)
		}
	}
	nj.Mode, nj.Name, nj.Bridge, nj.Subnet, nj.Gateway, nj.IP = supervisor.NetBridge, n.Name, n.Bridge, n.Subnet, n.Gateway, o.ip
	nj.Pool, nj.ResolveNames = store.Pool(root, n.Name), true
	return nj, nil
}

// bridgeJob fills in the default bridge network.
func (o *networkOptions) bridgeJob(root string, nj *supervisor.NetworkJob) (*supervisor.NetworkJob, error) {
	_, subnet, err := net.ParseCIDR(defaultSubnet())
	if err != nil || subnet.IP.To4() == nil {
		return nil, fmt.Errorf("invalid subnet %q ($MINI_SUBNET): want an IPv4 CIDR such as 10.88.0.0/16", defaultSubnet())
	}
	gw := network.FirstAddress(subnet)
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
func bridgePool(root string) string { return store.Pool(root, "bridge") }

// ports reads -p, and with -P every exposed port (the image's and
// --expose) not published otherwise, on a free host port.
func (o *networkOptions) ports(exposed []string) ([]network.Mapping, error) {
	var maps []network.Mapping
	published := map[string]bool{}
	for _, p := range o.publish {
		m, err := parsePublish(p)
		if err != nil {
			return nil, err
		}
		maps = append(maps, m)
		published[fmt.Sprintf("%d/%s", m.ContainerPort, m.Proto)] = true
	}
	if !o.publishAll {
		for _, e := range o.expose { // checked, even when not published
			if _, _, err := parsePort(e); err != nil {
				return nil, fmt.Errorf("invalid --expose %q: %v", e, err)
			}
		}
		return maps, nil
	}
	for _, e := range append(append([]string(nil), exposed...), o.expose...) {
		port, proto, err := parsePort(e)
		if err != nil {
			return nil, fmt.Errorf("invalid exposed port %q: %v", e, err)
		}
		key := fmt.Sprintf("%d/%s", port, proto)
		if !published[key] {
			published[key] = true
			maps = append(maps, network.Mapping{ContainerPort: port, Proto: proto})
		}
	}
	return maps, nil
}

// parsePublish reads -p: PORT, HOSTPORT:PORT, IP:HOSTPORT:PORT or
// IP::PORT, each with an optional /tcp or /udp.
func parsePublish(s string) (network.Mapping, error) {
	spec, proto, _ := strings.Cut(s, "/")
	m := network.Mapping{Proto: cmpOr(proto, "tcp")}
	if m.Proto != "tcp" && m.Proto != "udp" {
		return m, fmt.Errorf("invalid -p %q: the protocol is tcp or udp", s)
	}
	parts := strings.Split(spec, ":")
	var host, ctr string
	switch len(parts) {
	case 1:
		ctr = parts[0]
	case 2:
		host, ctr = parts[0], parts[1]
	case 3:
		m.HostIP, host, ctr = parts[0], parts[1], parts[2]
		if net.ParseIP(m.HostIP) == nil {
			return m, fmt.Errorf("invalid -p %q: %q is not an IP address", s, m.HostIP)
		}
	default:
		return m, fmt.Errorf("invalid -p %q: want [IP:][HOSTPORT:]PORT[/tcp|udp]", s)
	}
	var err error
	if m.ContainerPort, err = portNumber(ctr); err != nil {
		return m, fmt.Errorf("invalid -p %q: %v", s, err)
	}
	if host != "" {
		if m.HostPort, err = portNumber(host); err != nil {
			return m, fmt.Errorf("invalid -p %q: %v", s, err)
		}
	}
	return m, nil
}

// parsePort reads PORT[/tcp|udp].
func parsePort(s string) (int, string, error) {
	p, proto, _ := strings.Cut(s, "/")
	proto = cmpOr(proto, "tcp")
	if proto != "tcp" && proto != "udp" {
		return 0, "", fmt.Errorf("the protocol is tcp or udp")
	}
	n, err := portNumber(p)
	return n, proto, err
}

func portNumber(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("%q is not a port (1 to 65535)", s)
	}
	return n, nil
}
