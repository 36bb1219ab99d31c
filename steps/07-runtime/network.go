// A container's network (step 05), as create's options describe it:
// --net, --ip, --dns*, --add-host, -p, -P, --expose, --link, turned into
// the supervisor's NetworkJob.
//
// The default network, "bridge", is a bridge named by $MINI_BRIDGE (else
// mini0) with the subnet $MINI_SUBNET (else 10.66.0.0/16); its first
// address is the gateway. The default subnet is one neither Docker's
// (172.17.0.0/16, then 172.18-31 and 192.168 for its networks) nor
// Podman's (10.88.0.0/16, then 10.89.N.0/24) uses, so that mini runs
// beside either; the supervisor still refuses it if the host already
// routes it. The scenarios give each scenario a bridge and subnet of its
// own through these.

package runtime

import (
	"cmp"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	network "mini/steps/05-network"
	"mini/steps/07-runtime/store"
	"mini/steps/07-runtime/supervisor"
)

// NetworkOptions are the network flags, as Docker names them.
type NetworkOptions struct {
	Mode, IP                               string // Mode: bridge, none, host, container:NAME or a user network
	DNS, DNSSearch, DNSOptions, ExtraHosts []string
	Publish, Expose, Links                 []string
	Aliases                                []string // names on a user network besides the container's (--network-alias)
	PublishAll                             bool
}

// defaultBridge and defaultSubnet are the default network's.
func DefaultBridge() string { return cmp.Or(os.Getenv("MINI_BRIDGE"), "mini0") }
func DefaultSubnet() string { return cmp.Or(os.Getenv("MINI_SUBNET"), "10.66.0.0/16") }

// networkJob checks the flags and describes the container's network.
// exposed are the image's exposed ports ("80/tcp"), for -P.
func (rt *Runtime) networkJob(o *NetworkOptions, hostname string, exposed []string) (*supervisor.NetworkJob, error) {
	nj := &supervisor.NetworkJob{Hostname: hostname, DNS: o.DNS, DNSSearch: o.DNSSearch, DNSOptions: o.DNSOptions}
	for _, h := range o.ExtraHosts {
		name, ip, ok := strings.Cut(h, ":")
		if !ok || name == "" || net.ParseIP(ip) == nil {
			return nil, invalid("invalid --add-host %q: want HOST:IP", h)
		}
		nj.ExtraHosts = append(nj.ExtraHosts, network.Host{IP: ip, Names: []string{name}})
	}
	for _, d := range o.DNS {
		if net.ParseIP(d) == nil {
			return nil, invalid("invalid --dns %q: want an IP address", d)
		}
	}
	if o.Mode == "" {
		o.Mode = supervisor.NetBridge // Docker's default network
	}
	mode, target, _ := strings.Cut(o.Mode, ":")
	user := mode != supervisor.NetNone && mode != supervisor.NetHost && mode != supervisor.NetContainer
	if o.IP != "" && !user {
		return nil, invalid("--ip needs the bridge network, not --net %s", o.Mode)
	}
	if len(o.Aliases) > 0 && (!user || mode == supervisor.NetBridge) {
		return nil, invalid("network-scoped aliases are only for containers on user networks, not --net %s", o.Mode)
	}
	ports, err := o.ports(exposed)
	if err != nil {
		return nil, err
	}
	if len(ports) > 0 && !user {
		return nil, invalid("published ports need the bridge network, not --net %s", o.Mode)
	}
	nj.Ports = ports
	for _, l := range o.Links {
		name, alias, _ := strings.Cut(l, ":")
		c, err := rt.Find(name)
		if err != nil {
			return nil, fmt.Errorf("--link %s: %w", l, err)
		}
		nj.Links = append(nj.Links, supervisor.Link{Target: c.ID, Name: c.Name, Alias: cmp.Or(alias, c.Name),
			Ports: c.exposedPorts()})
	}
	switch mode {
	case supervisor.NetNone, supervisor.NetHost:
		nj.Mode = mode
	case supervisor.NetContainer:
		c, err := rt.Find(target)
		if err != nil {
			return nil, fmt.Errorf("--net container:%s: %w", target, err)
		}
		nj.Mode, nj.Target = mode, c.ID
	case supervisor.NetBridge:
		return rt.bridgeJob(o, nj)
	default:
		n, err := rt.Network(o.Mode)
		if _, ok := asUnreadableNetwork(err); ok {
			return nil, err
		}
		if err != nil {
			return nil, invalid("invalid --net %q: want bridge, none, host, container:NAME or a network made with mini network create", o.Mode)
		}
		return rt.userNetworkJob(o, n, nj)
	}
	return nj, nil
}

// userNetworkJob connects to a user network: its bridge and subnet, and
// names resolved between its containers.
func (rt *Runtime) userNetworkJob(o *NetworkOptions, n *NetworkRecord, nj *supervisor.NetworkJob) (*supervisor.NetworkJob, error) {
	_, subnet, err := net.ParseCIDR(n.Subnet)
	if err != nil {
		return nil, err
	}
	if o.IP != "" {
		if ip := net.ParseIP(o.IP); ip == nil || !subnet.Contains(ip) {
			return nil, invalid("invalid --ip %q: want an address of the network's subnet %s", o.IP, subnet)
		}
	}
	nj.Mode, nj.Name, nj.Bridge, nj.Subnet, nj.Gateway, nj.IP = supervisor.NetBridge, n.Name, n.Bridge, n.Subnet, n.Gateway, o.IP
	nj.Pool, nj.ResolveNames, nj.Aliases = network.PoolDir(n.Bridge), true, o.Aliases
	nj.Label = store.Network(rt.Root, n.Name)
	return nj, nil
}

// bridgeJob fills in the default bridge network.
func (rt *Runtime) bridgeJob(o *NetworkOptions, nj *supervisor.NetworkJob) (*supervisor.NetworkJob, error) {
	_, subnet, err := net.ParseCIDR(DefaultSubnet())
	if err != nil || subnet.IP.To4() == nil {
		return nil, invalid("invalid subnet %q ($MINI_SUBNET): want an IPv4 CIDR such as 10.66.0.0/16", DefaultSubnet())
	}
	gw := network.FirstAddress(subnet)
	if o.IP != "" {
		ip := net.ParseIP(o.IP)
		if ip == nil || ip.To4() == nil || !subnet.Contains(ip) {
			return nil, invalid("invalid --ip %q: want an address of the network's subnet %s", o.IP, subnet)
		}
	}
	nj.Mode, nj.Name, nj.Bridge = supervisor.NetBridge, "bridge", DefaultBridge()
	nj.Subnet, nj.Gateway, nj.IP = subnet.String(), gw.String(), o.IP
	nj.Pool = network.PoolDir(nj.Bridge)
	return nj, nil
}

// ports reads -p, and with -P every exposed port (the image's and
// --expose) not published otherwise, on a free host port.
func (o *NetworkOptions) ports(exposed []string) ([]network.Mapping, error) {
	var maps []network.Mapping
	published := map[string]bool{}
	for _, p := range o.Publish {
		m, err := parsePublish(p)
		if err != nil {
			return nil, err
		}
		maps = append(maps, m)
		published[fmt.Sprintf("%d/%s", m.ContainerPort, m.Proto)] = true
	}
	if !o.PublishAll {
		for _, e := range o.Expose { // checked, even when not published
			if _, _, err := ParsePort(e); err != nil {
				return nil, invalid("invalid --expose %q: %v", e, err)
			}
		}
		return maps, nil
	}
	for _, e := range append(append([]string(nil), exposed...), o.Expose...) {
		port, proto, err := ParsePort(e)
		if err != nil {
			return nil, invalid("invalid exposed port %q: %v", e, err)
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
	m := network.Mapping{Proto: cmp.Or(proto, "tcp")}
	if m.Proto != "tcp" && m.Proto != "udp" {
		return m, invalid("invalid -p %q: the protocol is tcp or udp", s)
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
			return m, invalid("invalid -p %q: %q is not an IP address", s, m.HostIP)
		}
	default:
		return m, invalid("invalid -p %q: want [IP:][HOSTPORT:]PORT[/tcp|udp]", s)
	}
	var err error
	if m.ContainerPort, err = portNumber(ctr); err != nil {
		return m, invalid("invalid -p %q: %v", s, err)
	}
	if host != "" {
		if m.HostPort, err = portNumber(host); err != nil {
			return m, invalid("invalid -p %q: %v", s, err)
		}
	}
	return m, nil
}

// ParsePort reads PORT[/tcp|udp].
func ParsePort(s string) (int, string, error) {
	p, proto, _ := strings.Cut(s, "/")
	proto = cmp.Or(proto, "tcp")
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
