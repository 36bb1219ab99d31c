// Networks apart: a container on one of mini's networks reaches no
// container on another.
//
// mini's bridges are interfaces of the host, and the host routes between
// its interfaces: without a rule, a packet from a container on one bridge
// to an address on another is forwarded like any other, and two networks
// are one. Docker keeps them apart with two chains; so does mini:
//
//	MINI-FORWARD    -i BR ! -o BR -j MINI-ISOLATION   each bridge: leaving it...
//	MINI-ISOLATION  -o BR -j DROP                     each bridge: ...into another
//
// A packet from bridge A to bridge B takes A's rule to the second chain,
// where B's rule drops it. A packet from A to the world (eth0) meets no
// rule there, returns, and is forwarded and masqueraded as before. Each
// bridge has one rule in each chain and no rule names two bridges, so a
// network comes and goes without touching the others'.
//
// A published port stays open to every network, as Docker's are: Docker
// lets its userland proxy take a container's connection to a published
// port on the host, so that it never crosses from bridge to bridge. mini
// has no proxy: its DNAT sends the connection on from one bridge to the
// other, and the second chain's rules drop all but what DNAT made (the
// server then sees the gateway, masqueraded, as behind the proxy):
// -o BR -m conntrack ! --ctstate DNAT -j DROP.

package network

// isolateChain is the second chain: where a packet leaving one bridge for
// another is dropped.
const isolateChain = "MINI-ISOLATION"

// isolationRules are the bridge's two rules. The first must come before
// MINI-FORWARD's accepts: it is inserted at the chain's head.
func isolationRules(bridge string) (leaving, into rule) {
	return rule{"filter", forwardChain, []string{"-i", bridge, "!", "-o", bridge, "-j", isolateChain}},
		rule{"filter", isolateChain, []string{"-o", bridge, "-m", "conntrack", "!", "--ctstate", "DNAT", "-j", "DROP"}}
}

// isolate keeps the bridge's network apart from mini's others.
func isolate(bridge string) error {
	if err := makeChain("filter", isolateChain); err != nil { // jumped to by each bridge's rule
		return err
	}
	leaving, into := isolationRules(bridge)
	if err := ensureRule(into.table, into.chain, into.spec...); err != nil {
		return err
	}
	if iptables(leaving.table, "-C", leaving.chain, leaving.spec...) == nil {
		return nil
	}
	return iptables(leaving.table, "-I", leaving.chain, append([]string{"1"}, leaving.spec...)...)
}

// unisolate removes the bridge's two rules, and the chain once no bridge
// has one.
func unisolate(bridge string) {
	leaving, into := isolationRules(bridge)
	for _, r := range []rule{leaving, into} {
		for iptables(r.table, "-C", r.chain, r.spec...) == nil {
			iptables(r.table, "-D", r.chain, r.spec...)
		}
	}
	if lines, err := rules("filter", isolateChain); err == nil && len(lines) <= 1 && !chainReferenced("filter", isolateChain) {
		iptables("filter", "-X", isolateChain)
	}
}
