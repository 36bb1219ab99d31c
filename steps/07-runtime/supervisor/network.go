// The container's network, seen from the supervisor (step 05): before each
// start the address and the files; at the sync point the veth pair; after
// the exit the address back to the pool.

package supervisor

import (
	"cmp"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/vishvananda/netlink"

	"mini/internal/flock"
	namespaces "mini/steps/01-namespaces"
	network "mini/steps/05-network"
	"mini/steps/07-runtime/store"
)

// Network modes, as --net names them.
const (
	NetBridge    = "bridge"
	NetNone      = "none"
	NetHost      = "host"
	NetContainer = "container"
)

// NetworkJob says how the container is connected.
type NetworkJob struct {
	Mode     string `json:"mode"`
	Name     string `json:"name,omitempty"`   // the network ("bridge")
	Bridge   string `json:"bridge,omitempty"` // its bridge
	Subnet   string `json:"subnet,omitempty"`
	Gateway  string `json:"gateway,omitempty"`
	IP       string `json:"ip,omitempty"`     // asked for with --ip
	Pool     string `json:"pool,omitempty"`   // the address pool's directory (step 05)
	Label    string `json:"label,omitempty"`  // a user network's record, for the bridge's alias
	Target   string `json:"target,omitempty"` // mode container: the other's ID
	Hostname string `json:"hostname"`
	// The files' contents: --dns, --dns-search, --dns-option, --add-host.
	DNS        []string       `json:"dns,omitempty"`
	DNSSearch  []string       `json:"dns_search,omitempty"`
	DNSOptions []string       `json:"dns_options,omitempty"`
	ExtraHosts []network.Host `json:"extra_hosts,omitempty"`
	// Ports are the published ports (-p, -P); a host port of 0 is chosen
	// at each start.
	Ports []network.Mapping `json:"ports,omitempty"`
	// ResolveNames (user networks) lists the network's containers in
	// each other's /etc/hosts.
	ResolveNames bool `json:"resolve_names,omitempty"`
	// Aliases are the container's names there besides its own (compose
	// names a service's containers by the service).
	Aliases []string `json:"aliases,omitempty"`
	// Links are --link's: other containers named in /etc/hosts and in
	// Docker's link environment variables.
	Links []Link `json:"links,omitempty"`
}

// Link is one --link NAME:ALIAS.
type Link struct {
	Target string `json:"target"` // the other container's ID
	Name   string `json:"name"`
	Alias  string `json:"alias"`
	// Ports are the ports the other exposes ("80/tcp"), published or not:
	// Docker's link variables name them.
	Ports []string `json:"ports,omitempty"`
}

// NetworkState is what inspect shows of a running container's network.
type NetworkState struct {
	Name        string            `json:"name"`
	IPAddress   string            `json:"ip_address"`
	IPPrefixLen int               `json:"ip_prefix_len"`
	Gateway     string            `json:"gateway"`
	MacAddress  string            `json:"mac_address"`
	Ports       []network.Mapping `json:"ports,omitempty"`
}

// hostResolvConf is where the host's resolver settings are read.
var hostResolvConf = "/etc/resolv.conf"

// connection is one start's network: what to undo after it.
type connection struct {
	pool  *network.Pool
	id    string
	ep    *network.Endpoint
	state *NetworkState
}

// connect prepares the start's network: spec's namespace, the files bound
// over /etc, and for a bridge the address and the hook that plugs the
// cable in at the sync point.
func (s *Supervisor) connect(spec *namespaces.Spec, opts *namespaces.Options) (*connection, error) {
	nj := s.job.Network
	conn := &connection{id: s.job.ID}
	if nj == nil {
		return conn, nil
	}
	var ip net.IP
	switch nj.Mode {
	case NetHost:
		spec.Network = NetHost
	case NetContainer:
		st := ReadState(store.Container(s.job.Root, nj.Target))
		if st.Status != StatusRunning || st.Pid == 0 {
			return nil, fmt.Errorf("cannot join the network of container %s: it is not running", nj.Target[:12])
		}
		spec.Network = fmt.Sprintf("/proc/%d/ns/net", st.Pid)
	case NetBridge:
		var err error
		if ip, err = conn.plug(nj, s.job.ID, opts); err != nil {
			return nil, err
		}
	}
	links, err := s.resolveLinks(nj, spec)
	if err == nil {
		err = s.writeNetworkFiles(nj, ip, links, spec)
	}
	if err != nil {
		conn.unplug()
		return nil, err
	}
	s.refreshHosts(nj)
	return conn, nil
}

// resolveLinks finds each linked container's address, for /etc/hosts, and
// sets Docker's link variables: ALIAS_NAME, and for each port the other
// publishes ALIAS_PORT_80_TCP=tcp://IP:80 and its _ADDR, _PORT, _PROTO.
func (s *Supervisor) resolveLinks(nj *NetworkJob, spec *namespaces.Spec) ([]network.Host, error) {
	var hosts []network.Host
	for _, l := range nj.Links {
		st := ReadState(store.Container(s.job.Root, l.Target))
		if st.Pid == 0 || st.Network == nil {
			return nil, fmt.Errorf("cannot link to %s: it is not running on a network", l.Name)
		}
		ip := st.Network.IPAddress
		hosts = append(hosts, network.Host{IP: ip, Names: []string{l.Alias, l.Name}})
		prefix := envName(l.Alias)
		spec.Env = append(spec.Env, fmt.Sprintf("%s_NAME=/%s/%s", prefix, s.job.Name, l.Alias))
		for i, p := range linkPorts(l, st) {
			v := fmt.Sprintf("%s_PORT_%d_%s", prefix, p.ContainerPort, strings.ToUpper(p.Proto))
			url := fmt.Sprintf("%s://%s:%d", p.Proto, ip, p.ContainerPort)
			if i == 0 {
				spec.Env = append(spec.Env, prefix+"_PORT="+url)
			}
			spec.Env = append(spec.Env, v+"="+url, v+"_ADDR="+ip, fmt.Sprintf("%s_PORT=%d", v, p.ContainerPort), v+"_PROTO="+p.Proto)
		}
	}
	return hosts, nil
}

// linkPorts are the ports a link's variables name: those the other
// exposes, by number (tcp first), as Docker's; a link made before mini
// recorded them names the ports the other publishes.
func linkPorts(l Link, st *State) []network.Mapping {
	var ports []network.Mapping
	for _, p := range l.Ports {
		num, proto, _ := strings.Cut(p, "/")
		if n, err := strconv.Atoi(num); err == nil {
			ports = append(ports, network.Mapping{ContainerPort: n, Proto: cmp.Or(proto, "tcp")})
		}
	}
	if len(l.Ports) == 0 {
		ports = append(ports, st.Network.Ports...)
	}
	sort.Slice(ports, func(i, j int) bool {
		a, b := ports[i], ports[j]
		return a.ContainerPort < b.ContainerPort || a.ContainerPort == b.ContainerPort && a.Proto < b.Proto
	})
	return ports
}

// envName is an alias as Docker writes it in variable names.
func envName(alias string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, alias)
}

// refreshHosts rewrites the /etc/hosts of every container on a user
// network so that each lists all the others by name: how containers on a
// user network find each other (Docker runs a DNS server for this; a file
// is the same answer without a server). The files are rewritten in
// place: each is bind-mounted into its container, and a new file put in
// place by rename would not be seen there.
func (s *Supervisor) refreshHosts(nj *NetworkJob) {
	if nj == nil || !nj.ResolveNames {
		return
	}
	flock.With(filepath.Join(nj.Pool, ".hosts.lock"), func() error {
		alloc, err := (&network.Pool{Dir: nj.Pool}).Allocations()
		if err != nil {
			return err
		}
		type member struct {
			ip  string
			job *Job
		}
		var members []member
		for ip, id := range alloc {
			if job, err := ReadJob(store.Container(s.job.Root, id)); err == nil && job.Network != nil {
				members = append(members, member{ip, job})
			}
		}
		sort.Slice(members, func(i, j int) bool { return members[i].job.Name < members[j].job.Name })
		for _, m := range members {
			hosts := append([]network.Host(nil), m.job.Network.ExtraHosts...)
			for _, o := range members {
				if o.job.ID != m.job.ID {
					hosts = append(hosts, network.Host{IP: o.ip, Names: append([]string{o.job.Name}, o.job.Network.Aliases...)})
				}
			}
			path := m.job.Dir().NetworkFile("hosts")
			if _, err := os.Stat(path); err == nil {
				os.WriteFile(path, []byte(network.HostsFile(m.job.Network.Hostname, net.ParseIP(m.ip), hosts)), 0o644)
			}
		}
		return nil
	})
}

// plug takes an address from the pool and adds the hook that connects the
// container at the sync point.
func (c *connection) plug(nj *NetworkJob, id string, opts *namespaces.Options) (net.IP, error) {
	subnet, gw, err := network.ParseNetwork(nj.Subnet, nj.Gateway)
	if err != nil {
		return nil, fmt.Errorf("network %s: %w", nj.Name, err)
	}
	if err := ensureNetwork(nj, &net.IPNet{IP: gw, Mask: subnet.Mask}, subnet); err != nil {
		return nil, err
	}
	c.pool = &network.Pool{Dir: nj.Pool, Subnet: subnet, Gateway: gw}
	ip, err := c.pool.Allocate(id, net.ParseIP(nj.IP))
	if err != nil {
		return nil, err
	}
	ep := &network.Endpoint{HostIf: network.HostIfName(id), IfName: "eth0",
		Address: &net.IPNet{IP: ip, Mask: subnet.Mask}, Gateway: gw, MAC: network.MACFor(ip)}
	c.ep = ep
	var ports []network.Mapping
	if len(nj.Ports) > 0 {
		err = network.Locked(func() error {
			ports, err = network.Publish(nj.Bridge, id, ip, nj.Ports)
			return err
		})
		if err != nil {
			c.pool.Release(id)
			c.pool = nil
			return nil, err
		}
	}
	ones, _ := subnet.Mask.Size()
	c.state = &NetworkState{Name: nj.Name, IPAddress: ip.String(), IPPrefixLen: ones, Gateway: gw.String(), MacAddress: ep.MAC.String(), Ports: ports}
	opts.Hooks = append(opts.Hooks, func(pid int) error { return network.Connect(pid, nj.Bridge, *ep, true) })
	return ip, nil
}

// unplug gives the address back. The cable goes by itself: when the
// container's network namespace dies, the kernel removes the veth pair
// with it, in the background. Removing it here would cost a start 20 ms
// or more: deleting a network device waits for an RCU grace period.
func (c *connection) unplug() {
	if c == nil || c.pool == nil {
		return
	}
	if c.state != nil && len(c.state.Ports) > 0 {
		network.Locked(func() error { return network.Unpublish(c.id) })
	}
	c.pool.Release(c.id)
}

// ensureNetwork makes the network's bridge and NAT rules when the bridge
// is missing (the first container on it, or after a reboot). A bridge
// that exists is taken as set up: iptables is slow, and a start should not
// wait for it.
func ensureNetwork(nj *NetworkJob, gateway, subnet *net.IPNet) error {
	if _, err := netlink.LinkByName(nj.Bridge); err == nil {
		return nil
	}
	return network.Locked(func() error {
		if _, err := netlink.LinkByName(nj.Bridge); err == nil {
			return nil
		}
		if err := network.CheckSubnet(subnet, nj.Bridge); err != nil {
			return err
		}
		if err := network.EnsureBridge(nj.Bridge, gateway); err != nil {
			return err
		}
		if nj.Label != "" {
			network.Label(nj.Bridge, nj.Label)
		}
		if err := network.EnsureNAT(nj.Bridge, subnet); err != nil {
			network.RemoveBridge(nj.Bridge)
			return err
		}
		return nil
	})
}

// RemoveNetwork removes a network's bridge and NAT rules.
func RemoveNetwork(bridge, subnetCIDR string) error {
	_, subnet, err := net.ParseCIDR(subnetCIDR)
	if err != nil {
		return err
	}
	return network.Locked(func() error {
		if err := network.RemoveNAT(bridge, subnet); err != nil {
			return err
		}
		return network.RemoveBridge(bridge)
	})
}

// writeNetworkFiles writes hostname, hosts and resolv.conf in the
// container's directory and binds them over the image's.
func (s *Supervisor) writeNetworkFiles(nj *NetworkJob, ip net.IP, links []network.Host, spec *namespaces.Spec) error {
	files := map[string]string{
		"hostname":    nj.Hostname + "\n",
		"hosts":       network.HostsFile(nj.Hostname, ip, append(append([]network.Host(nil), nj.ExtraHosts...), links...)),
		"resolv.conf": network.ResolvConf(hostResolvConf, nj.DNS, nj.DNSSearch, nj.DNSOptions),
	}
	for _, name := range []string{"hostname", "hosts", "resolv.conf"} {
		path := s.job.Dir().NetworkFile(name)
		if err := os.WriteFile(path, []byte(files[name]), 0o644); err != nil {
			return err
		}
		spec.Binds = append(spec.Binds, namespaces.Bind{Source: path, Target: "/etc/" + name})
	}
	return nil
}

// sweepNetwork gives back the address of a container whose supervisor
// died (cleanup.go).
func sweepNetwork(rec RunRecord) {
	if !rec.Networked {
		return
	}
	network.Locked(func() error { return network.Unpublish(rec.ID) })
	network.Disconnect(network.HostIfName(rec.ID))
	network.ReleaseEverywhere(rec.ID)
}
