// The way out: IP forwarding, and NAT for the bridge's subnet, in mini's
// own iptables chains (the package doc says why iptables, and how a packet
// goes through them).

package network

import (
	"fmt"

	"mini/internal/flock"
	"net"
	"os"
	"os/exec"
	"strings"
)

// lockFile orders changes to the host's bridges and iptables rules between
// every mini on the host, whatever its state root: mini's chains are
// shared, and "check, then add" must not interleave.
const lockFile = "/run/mini-network.lock"

// Locked runs fn holding the host's network lock.
func Locked(fn func() error) error { return flock.With(lockFile, fn) }

// mini's chains, one jump to each from the built-in chain of its name.
const (
	natChain     = "MINI-POSTROUTING"
	forwardChain = "MINI-FORWARD"
)

// EnsureNAT lets the bridge's subnet out through the host: forwarding on,
// masquerading for packets leaving by another interface, and forwarding
// allowed from the bridge and back for established connections.
func EnsureNAT(bridge string, subnet *net.IPNet) error {
	if err := os.WriteFile("/proc/sys/net/ipv4/ip_forward", []byte("1"), 0); err != nil {
		return fmt.Errorf("turn IP forwarding on: %w", err)
	}
	if err := ensureChain("nat", natChain, "POSTROUTING"); err != nil {
		return err
	}
	if err := ensureChain("filter", forwardChain, "FORWARD"); err != nil {
		return err
	}
	for _, r := range natRules(bridge, subnet) {
		if err := ensureRule(r.table, r.chain, r.spec...); err != nil {
			return err
		}
	}
	if err := isolate(bridge); err != nil { // isolation.go
		return err
	}
	return allowLocalhost(bridge)
}

// RemoveNAT removes the bridge's rules, and mini's chains once empty.
func RemoveNAT(bridge string, subnet *net.IPNet) error {
	for _, r := range natRules(bridge, subnet) {
		for iptables(r.table, "-C", r.chain, r.spec...) == nil {
			if err := iptables(r.table, "-D", r.chain, r.spec...); err != nil {
				return err
			}
		}
	}
	unisolate(bridge)
	forbidLocalhost(bridge)
	removeChainIfEmpty("nat", natChain, "POSTROUTING")
	removeChainIfEmpty("filter", forwardChain, "FORWARD")
	removeChainIfEmpty("nat", dnatChain, "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL")
	removeChainIfEmpty("nat", dnatChain, "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL")
	return nil
}

type rule struct {
	table, chain string
	spec         []string
}

// natRules are the bridge's rules in mini's chains: masquerade what
// leaves the subnet by another interface (and what a published port
// forwards from 127.0.0.1, ports.go), forward from the bridge, and forward
// back to it the replies of connections already made.
//
// One more masquerades the hairpin: a container reaching another through
// a published port on the gateway's address. DNAT sends the packet back
// into the bridge it came from; without a new source the reply would go
// straight from one container to the other, bridged, never un-NATed
// (unless br_netfilter, which Docker loads, passes bridged packets through
// iptables). With it the server sees the gateway, as behind Docker's
// userland proxy.
//
//lab:05 the MASQUERADE and FORWARD rules that let the subnet out through the host, and the replies back in
func natRules(bridge string, subnet *net.IPNet) []rule {
	return []rule{
		{"nat", natChain, []string{"-s", subnet.String(), "!", "-o", bridge, "-j", "MASQUERADE"}},
		{"nat", natChain, []string{"-s", "127.0.0.0/8", "-o", bridge, "-j", "MASQUERADE"}}, // ports.go
		{"nat", natChain, []string{"-s", subnet.String(), "-o", bridge, "-m", "conntrack", "--ctstate", "DNAT", "-j", "MASQUERADE"}},
		{"filter", forwardChain, []string{"-i", bridge, "-j", "ACCEPT"}},
		{"filter", forwardChain, []string{"-o", bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"}},
	}
}

// ensureChain makes chain in table and jumps to it from the built-in one
// (for the packets match selects, or all).
func ensureChain(table, chain, from string, match ...string) error {
	jump := append(append([]string(nil), match...), "-j", chain)
	if err := makeChain(table, chain); err != nil {
		return err
	}
	if iptables(table, "-C", from, jump...) != nil {
		return iptables(table, "-I", from, jump...)
	}
	return nil
}

// makeChain makes chain in table, unless it exists.
func makeChain(table, chain string) error {
	if iptables(table, "-L", chain, "-n") == nil {
		return nil
	}
	// Another mini may make it at the same moment: then it exists.
	if err := iptables(table, "-N", chain); err != nil && iptables(table, "-L", chain, "-n") != nil {
		return err
	}
	return nil
}

func ensureRule(table, chain string, spec ...string) error {
	if iptables(table, "-C", chain, spec...) == nil {
		return nil
	}
	return iptables(table, "-A", chain, spec...)
}

// removeChainIfEmpty removes chain and its jump when no rule is left in it.
func removeChainIfEmpty(table, chain, from string, match ...string) {
	jump := append(append([]string(nil), match...), "-j", chain)
	lines, err := rules(table, chain)
	if err != nil || len(lines) > 1 { // "-N chain", then its rules
		return
	}
	for iptables(table, "-C", from, jump...) == nil {
		iptables(table, "-D", from, jump...)
	}
	if !chainReferenced(table, chain) {
		iptables(table, "-X", chain)
	}
}

// rules lists a chain's rules as iptables -S prints them (all the table's
// with chain ""); an error means no such chain.
func rules(table, chain string) ([]string, error) {
	argv := []string{"-w", "-t", table, "-S"}
	if chain != "" {
		argv = append(argv, chain)
	}
	out, err := exec.Command("iptables", argv...).Output()
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n"), nil
}

// iptables runs `iptables -w -t table op chain spec...`, waiting for
// iptables' lock (-w) when another process holds it; an error carries what
// it printed.
func iptables(table, op, chain string, spec ...string) error {
	argv := append([]string{"-w", "-t", table, op, chain}, spec...)
	out, err := exec.Command("iptables", argv...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("iptables %s: %v: %s", strings.Join(argv, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// chainReferenced says whether a rule still jumps to chain (MINI-DNAT has
// two jumps, removed one at a time).
func chainReferenced(table, chain string) bool {
	all, _ := rules(table, "")
	for _, line := range all {
		if strings.HasSuffix(line, "-j "+chain) || strings.Contains(line, "-j "+chain+" ") {
			return true
		}
	}
	return false
}
