// User networks (mini network create): each a bridge and a subnet of its
// own (step 05), recorded in the store. Containers on one user network find
// each other by name: their supervisors keep each other's /etc/hosts. A
// running container can be connected to one more (Connect: a second
// interface, the pipework recipe done by mini).

package runtime

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"sort"
	"strings"
	"time"

	"mini/internal/atomicfile"
	"mini/internal/flock"
	network "mini/steps/05-network"
	"mini/steps/07-runtime/store"
	"mini/steps/07-runtime/supervisor"
)

// NetworkRecord is a user network: networks/NAME.json.
type NetworkRecord struct {
	Name    string    `json:"Name"`
	ID      string    `json:"Id"`
	Bridge  string    `json:"Bridge"`
	Subnet  string    `json:"Subnet"`
	Gateway string    `json:"Gateway"`
	Created time.Time `json:"Created"`
}

// Network reads a user network's record.
func (rt *Runtime) Network(name string) (*NetworkRecord, error) {
	path := store.Network(rt.Root, name)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, notFound("no such network: %s", name)
	}
	var n NetworkRecord
	if err == nil {
		err = json.Unmarshal(data, &n)
	}
	if err == nil && n.Bridge == "" {
		err = errors.New("it names no bridge")
	}
	if err != nil {
		return nil, &UnreadableNetworkError{Name: name, Path: path, Err: err}
	}
	return &n, nil
}

// Networks lists the user networks whose records can be read, by name
// (UnreadableNetworks lists the others).
func (rt *Runtime) Networks() []*NetworkRecord {
	var out []*NetworkRecord
	for _, name := range rt.networkNames() {
		if n, err := rt.Network(name); err == nil {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// CreateNetwork records the network and makes its bridge and NAT rules.
func (rt *Runtime) CreateNetwork(name, subnetFlag, gatewayFlag string) (*NetworkRecord, error) {
	root := rt.Root
	if !ValidName(name) || name == "bridge" || name == "none" || name == "host" {
		return nil, invalid("invalid network name %q: [a-zA-Z0-9][a-zA-Z0-9_.-], and not bridge, none or host", name)
	}
	if err := os.MkdirAll(store.Networks(root), 0o700); err != nil {
		return nil, err
	}
	var n *NetworkRecord
	err := flock.With(store.NetworksLock(root), func() error {
		if _, err := rt.Network(name); err == nil {
			return conflict("network with name %s already exists", name)
		} else if !errors.Is(err, ErrNotFound) {
			return err // there, if unreadable
		}
		subnet, gw, err := rt.chooseSubnet(subnetFlag, gatewayFlag)
		if err != nil {
			return err
		}
		id := NewID()
		n = &NetworkRecord{Name: name, ID: id, Bridge: "mini-" + id[:8], Subnet: subnet.String(), Gateway: gw.String(), Created: time.Now().UTC()}
		gateway := &net.IPNet{IP: gw, Mask: subnet.Mask}
		err = network.Locked(func() error {
			if err := network.CheckSubnet(subnet, n.Bridge); err != nil {
				return err
			}
			if err := network.EnsureBridge(n.Bridge, gateway); err != nil {
				return err
			}
			if err := network.Label(n.Bridge, store.Network(root, name)); err != nil {
				return err
			}
			return network.EnsureNAT(n.Bridge, subnet)
		})
		if err == nil {
			data, _ := json.MarshalIndent(n, "", "  ")
			err = atomicfile.WriteBytes(store.Network(root, name), data)
		}
		if err != nil {
			supervisor.RemoveNetwork(n.Bridge, n.Subnet)
		}
		return err
	})
	return n, err
}

// chooseSubnet checks --subnet and --gateway, or picks the first free /24
// of 10.67.0.0/16 (beside the default network's 10.66.0.0/16, and
// Docker's and Podman's pools) that no other network and no host route
// has.
func (rt *Runtime) chooseSubnet(subnetFlag, gatewayFlag string) (*net.IPNet, net.IP, error) {
	if subnetFlag != "" {
		_, subnet, err := net.ParseCIDR(subnetFlag)
		if err != nil || subnet.IP.To4() == nil {
			return nil, nil, invalid("invalid --subnet %q: want an IPv4 CIDR such as 10.67.1.0/24", subnetFlag)
		}
		gw := network.FirstAddress(subnet)
		if gatewayFlag != "" {
			if gw = net.ParseIP(gatewayFlag).To4(); gw == nil || !subnet.Contains(gw) {
				return nil, nil, invalid("invalid --gateway %q: want an address of %s", gatewayFlag, subnet)
			}
		}
		return subnet, gw, nil
	}
	if gatewayFlag != "" {
		return nil, nil, invalid("--gateway needs --subnet")
	}
	used := map[string]bool{}
	for _, n := range rt.Networks() {
		used[n.Subnet] = true
	}
	for i := 1; i < 255; i++ {
		_, subnet, _ := net.ParseCIDR(fmt.Sprintf("10.67.%d.0/24", i))
		if !used[subnet.String()] && network.CheckSubnet(subnet, "") == nil {
			return subnet, network.FirstAddress(subnet), nil
		}
	}
	return nil, nil, fmt.Errorf("no free /24 left in 10.67.0.0/16: pass --subnet")
}

// NetworkInspect is Docker's shape of a network: the network, its IPAM
// config and the containers on it.
type NetworkInspect struct {
	Name       string
	Id         string //nolint:revive // Docker's name
	Created    time.Time
	Scope      string // local: a network of this machine alone
	Driver     string
	IPAM       struct{ Config []IPAMConfig }
	Options    map[string]string
	Containers map[string]Endpoint
}

// IPAMConfig is a network's subnet and gateway.
type IPAMConfig struct{ Subnet, Gateway string }

// Endpoint is a container on a network.
type Endpoint struct{ Name, IPv4Address, MacAddress string }

// InspectNetwork describes a user network, or the default one.
func (rt *Runtime) InspectNetwork(name string) (*NetworkInspect, error) {
	n, err := rt.Network(name)
	if name == "bridge" {
		n, err = defaultNetwork()
	}
	if err != nil {
		return nil, err
	}
	in := &NetworkInspect{Name: n.Name, Id: n.ID, Created: n.Created, Scope: "local", Driver: "bridge", Containers: map[string]Endpoint{},
		Options: map[string]string{"com.docker.network.bridge.name": n.Bridge}}
	in.IPAM.Config = []IPAMConfig{{n.Subnet, n.Gateway}}
	ones := strings.Split(n.Subnet, "/")[1]
	for _, c := range rt.containersOn(n.Name) {
		if st := c.State(); st.Network != nil && st.Network.Name == n.Name {
			in.Containers[c.ID] = Endpoint{c.Name, st.Network.IPAddress + "/" + ones, st.Network.MacAddress}
		} else if x := connectedTo(c.Dir, n.Name); x != nil {
			in.Containers[c.ID] = Endpoint{c.Name, x.IP + "/" + ones, network.MACFor(net.ParseIP(x.IP)).String()}
		}
	}
	return in, nil
}

// defaultNetwork is the default network, "bridge", as if recorded: its
// bridge and subnet come from the environment ($MINI_BRIDGE, $MINI_SUBNET),
// and its ID is one the bridge's name gives, the same at every call.
func defaultNetwork() (*NetworkRecord, error) {
	_, subnet, err := net.ParseCIDR(DefaultSubnet())
	if err != nil {
		return nil, invalid("invalid subnet %q ($MINI_SUBNET): want an IPv4 CIDR such as 10.66.0.0/16", DefaultSubnet())
	}
	return &NetworkRecord{Name: "bridge", ID: BuiltinNetworkID("bridge"), Bridge: DefaultBridge(),
		Subnet: subnet.String(), Gateway: network.FirstAddress(subnet).String()}, nil
}

// BuiltinNetworkID is the ID of a network mini always has (bridge, host,
// none): one its name (and the default bridge's) gives, the same at every
// call, so that scripts can hold on to it as to Docker's.
func BuiltinNetworkID(name string) string {
	if name == "bridge" {
		name += " " + DefaultBridge()
	}
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])
}

// containersOn lists the running containers on the network name.
func (rt *Runtime) containersOn(name string) []*Container {
	all, _ := rt.List()
	var out []*Container
	for _, c := range all {
		if st := c.State(); st.Pid != 0 && (st.Network != nil && st.Network.Name == name || connectedTo(c.Dir, name) != nil) {
			out = append(out, c)
		}
	}
	return out
}

// connectedTo is the container's connection to network name, if network
// connect made one.
func connectedTo(dir store.Dir, name string) *supervisor.Connection {
	for _, x := range supervisor.Connections(dir) {
		if x.Network == name {
			return &x
		}
	}
	return nil
}

// RemoveNetwork removes a network no running container uses: its bridge,
// its rules and its files.
func (rt *Runtime) RemoveNetwork(name string) error {
	root := rt.Root
	if name == "bridge" || name == "host" || name == "none" {
		return invalid("%s is a pre-defined network and cannot be removed", name)
	}
	n, err := rt.Network(name)
	if on := rt.containersOn(name); len(on) > 0 && !errors.Is(err, ErrNotFound) {
		return conflict("network %s has active endpoints (%s): stop them first", name, on[0].Name)
	}
	if u, ok := asUnreadableNetwork(err); ok {
		return rt.removeUnreadableNetwork(u)
	}
	if err != nil {
		return err
	}
	if err := supervisor.RemoveNetwork(n.Bridge, n.Subnet); err != nil {
		return err
	}
	(&network.Pool{Dir: network.PoolDir(n.Bridge)}).Remove()
	return os.Remove(store.Network(root, name))
}

// Connect gives a running container one more interface, on the
// network name: the pipework recipe, done by mini.
func (rt *Runtime) Connect(name, ref, ipFlag string) error {
	n, err := rt.Network(name)
	if err != nil {
		return err
	}
	c, err := rt.Find(ref)
	if err != nil {
		return err
	}
	st := c.State()
	if st.Pid == 0 {
		return NotRunning(ref)
	}
	// A container without a network namespace of its own (host, another
	// container's) or kept without a network (none) gets no interface:
	// Docker's words.
	mode := supervisor.NetNone
	if c.Network != nil {
		mode = c.Network.Mode
	}
	switch mode {
	case supervisor.NetNone:
		return conflict("container cannot be connected to multiple networks with one of the networks in private (none) mode")
	case supervisor.NetHost, supervisor.NetContainer:
		return conflict("container sharing network namespace with another container or host cannot be connected to any other network")
	}
	subnet, gw, err := network.ParseNetwork(n.Subnet, n.Gateway)
	if err != nil {
		return err
	}
	var want net.IP
	if ipFlag != "" {
		if want = net.ParseIP(ipFlag); want == nil || !subnet.Contains(want) {
			return invalid("invalid --ip %q: want an address of %s", ipFlag, subnet)
		}
	}
	return supervisor.ChangeConnections(c.Dir, func(conns []supervisor.Connection) ([]supervisor.Connection, error) {
		if st.Network != nil && st.Network.Name == name {
			return nil, fmt.Errorf("container %s is already on network %s", ref, name)
		}
		for _, x := range conns {
			if x.Network == name {
				return nil, fmt.Errorf("container %s is already on network %s", ref, name)
			}
		}
		pool := &network.Pool{Dir: network.PoolDir(n.Bridge), Subnet: subnet, Gateway: gw}
		ip, err := pool.Allocate(c.ID, want)
		if err != nil {
			return nil, err
		}
		ep := network.Endpoint{HostIf: "m" + n.ID[:4] + c.ID[:8], IfName: fmt.Sprintf("eth%d", len(conns)+1),
			Address: &net.IPNet{IP: ip, Mask: subnet.Mask}, Gateway: gw, MAC: network.MACFor(ip)}
		if err := network.Connect(st.Pid, n.Bridge, ep, false); err != nil {
			pool.Release(c.ID)
			return nil, err
		}
		c.Event("connect", "network", name)
		return append(conns, supervisor.Connection{Network: name, Pool: pool.Dir, HostIf: ep.HostIf, IfName: ep.IfName, IP: ip.String()}), nil
	})
}

// Disconnect takes a container off a network connect put it on.
func (rt *Runtime) Disconnect(name, ref string) error {
	c, err := rt.Find(ref)
	if err != nil {
		return err
	}
	return supervisor.ChangeConnections(c.Dir, func(conns []supervisor.Connection) ([]supervisor.Connection, error) {
		for i, x := range conns {
			if x.Network == name {
				network.Disconnect(x.HostIf)
				(&network.Pool{Dir: x.Pool}).Release(c.ID)
				c.Event("disconnect", "network", name)
				return append(conns[:i], conns[i+1:]...), nil
			}
		}
		return nil, fmt.Errorf("container %s is not connected to network %s (mini network connect)", ref, name)
	})
}
