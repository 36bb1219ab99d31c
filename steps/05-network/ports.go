// Published ports: a port of the host that leads to a port of the
// container (-p 8080:80).
//
// A DNAT rule in mini's chain MINI-DNAT rewrites the destination of a
// packet for the host's port to the container's address and port. The
// chain is jumped to from PREROUTING, for packets coming in from other
// hosts (or other containers), and from OUTPUT, for the host's own, both
// only for packets addressed to the host itself (addrtype LOCAL).
//
// The host's own 127.0.0.1 takes two more things, because the kernel does
// not route loopback addresses off the loopback interface: route_localnet
// on the bridge lets a packet from 127.0.0.1 go out through it, and a
// MASQUERADE rule gives it the bridge's address as its source, so that the
// container's answer comes back. Docker does the same when it runs without
// its userland proxy; a proxy is a process per port, this is a rule. But
// route_localnet works both ways: it also lets the host accept a packet
// *to* 127.0.0.1 that comes in from the bridge, and a container that
// writes such a frame by hand reaches every service of the host bound to
// 127.0.0.1 (CVE-2020-8558). A rule in the raw table drops those as they
// come in, before connection tracking looks at them: the answers to the
// host's own connections are still addressed to the bridge there, and
// only later un-NATed to 127.0.0.1.
//
// Every rule of a container carries a comment "mini:ID", so that all of
// them are found and removed together, even after a crash.

package network

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

const dnatChain = "MINI-DNAT"

// Mapping is one published port.
type Mapping struct {
	HostIP        string `json:"host_ip,omitempty"` // "" for every address of the host
	HostPort      int    `json:"host_port"`         // 0: a free one is chosen
	ContainerPort int    `json:"container_port"`
	Proto         string `json:"proto"` // tcp or udp
}

// String is Docker's "80/tcp -> 0.0.0.0:8080".
func (m Mapping) String() string {
	return fmt.Sprintf("%d/%s -> %s:%d", m.ContainerPort, m.Proto, cmpOr(m.HostIP, "0.0.0.0"), m.HostPort)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Publish makes the host's ports lead to the container at ip. A host port
// of 0 is given a free one; the mappings come back with their ports. The
// caller holds the host's network lock: ports are checked, then taken.
func Publish(bridge, id string, ip net.IP, maps []Mapping) ([]Mapping, error) {
	if len(maps) == 0 {
		return nil, nil
	}
	if err := ensureChain("nat", dnatChain, "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL"); err != nil {
		return nil, err
	}
	if err := ensureChain("nat", dnatChain, "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL"); err != nil {
		return nil, err
	}
	out := make([]Mapping, len(maps))
	for i, m := range maps {
		var err error
		if m.HostPort == 0 {
			m.HostPort, err = freePort(m.Proto)
		} else {
			err = portFree(m)
		}
		if err == nil {
			err = addPortRules(bridge, id, ip, m)
		}
		if err != nil {
			Unpublish(id)
			return nil, err
		}
		out[i] = m
	}
	return out, nil
}

func addPortRules(bridge, id string, ip net.IP, m Mapping) error {
	dnat := []string{"-p", m.Proto, "--dport", strconv.Itoa(m.HostPort)}
	if m.HostIP != "" {
		dnat = append([]string{"-d", m.HostIP}, dnat...)
	}
	dnat = append(dnat, "-m", "comment", "--comment", "mini:"+id, "-j", "DNAT",
		"--to-destination", fmt.Sprintf("%s:%d", ip, m.ContainerPort))
	if err := iptables("nat", "-A", dnatChain, dnat...); err != nil {
		return err
	}
	// Let the new connections through FORWARD, where a host's policy may
	// drop what no rule accepts.
	return iptables("filter", "-A", forwardChain, "-d", ip.String(), "-o", bridge, "-p", m.Proto,
		"--dport", strconv.Itoa(m.ContainerPort), "-m", "comment", "--comment", "mini:"+id, "-j", "ACCEPT")
}

// Unpublish removes every port rule of the container.
func Unpublish(id string) error {
	var last error
	for _, tc := range [][2]string{{"nat", dnatChain}, {"filter", forwardChain}} {
		lines, err := rules(tc[0], tc[1])
		if err != nil {
			continue // no chain: no rules
		}
		for _, line := range lines {
			if !strings.Contains(line, `"mini:`+id+`"`) && !strings.Contains(line, "mini:"+id+" ") {
				continue
			}
			spec := strings.Fields(strings.TrimPrefix(line, "-A "+tc[1]+" "))
			for i, f := range spec { // -S quotes the comment
				spec[i] = strings.Trim(f, `"`)
			}
			if err := iptables(tc[0], "-D", tc[1], spec...); err != nil {
				last = err
			}
		}
	}
	return last
}

// portFree refuses a host port that another container has published, or
// that a process of the host listens on.
func portFree(m Mapping) error {
	published, _ := rules("nat", dnatChain)
	for _, line := range published {
		if strings.Contains(line, "-p "+m.Proto+" ") && strings.Contains(line, "--dport "+strconv.Itoa(m.HostPort)+" ") {
			return fmt.Errorf("host port %d/%s is already allocated to another container", m.HostPort, m.Proto)
		}
	}
	addr := net.JoinHostPort(m.HostIP, strconv.Itoa(m.HostPort))
	if err := listenAndClose(m.Proto, addr); err != nil {
		return fmt.Errorf("host port %d/%s is in use on the host: %v", m.HostPort, m.Proto, err)
	}
	return nil
}

// freePort asks the kernel for a free port, as Docker picks one from the
// ephemeral range.
func freePort(proto string) (int, error) {
	for try := 0; try < 10; try++ {
		var port int
		if proto == "udp" {
			c, err := net.ListenPacket("udp", ":0")
			if err != nil {
				return 0, err
			}
			port = c.LocalAddr().(*net.UDPAddr).Port
			c.Close()
		} else {
			l, err := net.Listen("tcp", ":0")
			if err != nil {
				return 0, err
			}
			port = l.Addr().(*net.TCPAddr).Port
			l.Close()
		}
		if portFree(Mapping{HostPort: port, Proto: proto}) == nil {
			return port, nil
		}
	}
	return 0, fmt.Errorf("no free host port found for %s", proto)
}

func listenAndClose(proto, addr string) error {
	if proto == "udp" {
		c, err := net.ListenPacket("udp", addr)
		if err == nil {
			c.Close()
		}
		return err
	}
	l, err := net.Listen("tcp", addr)
	if err == nil {
		l.Close()
	}
	return err
}

// localnetChain is mini's chain in the raw table, jumped to from its
// PREROUTING.
const localnetChain = "MINI-PREROUTING"

// localnetGuard drops what comes in from the bridge for 127.0.0.0/8.
func localnetGuard(bridge string) []string {
	return []string{"-i", bridge, "-d", "127.0.0.0/8", "-j", "DROP"}
}

// allowLocalhost lets 127.0.0.1 reach the bridge's containers, and the
// containers nothing of the host's 127.0.0.1 (see the top of this file):
// the guard first, then route_localnet.
func allowLocalhost(bridge string) error {
	if err := ensureChain("raw", localnetChain, "PREROUTING"); err != nil {
		return err
	}
	if err := ensureRule("raw", localnetChain, localnetGuard(bridge)...); err != nil {
		return err
	}
	path := fmt.Sprintf("/proc/sys/net/ipv4/conf/%s/route_localnet", bridge)
	if err := os.WriteFile(path, []byte("1"), 0); err != nil {
		return fmt.Errorf("route_localnet on %s: %w", bridge, err)
	}
	return nil
}

// forbidLocalhost removes the bridge's guard (the bridge is going), and
// mini's raw chain once empty.
func forbidLocalhost(bridge string) {
	for iptables("raw", "-C", localnetChain, localnetGuard(bridge)...) == nil {
		iptables("raw", "-D", localnetChain, localnetGuard(bridge)...)
	}
	removeChainIfEmpty("raw", localnetChain, "PREROUTING")
}
