// Package network puts a container on a network: a bridge on the host, a
// virtual cable (a veth pair) from the bridge into the container's network
// namespace, an address from a pool, a default route, and NAT so that the
// container reaches beyond the host.
//
// A network namespace starts with nothing but its own loopback (step 01).
// To connect it, the host makes a veth pair: two network interfaces joined
// like the ends of a cable, whatever enters one leaves the other. One end
// stays on the host and is plugged into a bridge, a software switch; the
// other is moved into the container's namespace, named eth0 and given an
// address from the network's subnet. The bridge itself holds the subnet's
// first address and is every container's default gateway.
//
// One packet from a container to the outside and back:
//
//	container eth0 (10.66.0.2)  --veth-->  mini0 (bridge, 10.66.0.1)
//	   the container's default route sends it to the gateway, the bridge
//	host routing (ip_forward=1)  -->  the host's own uplink
//	   the host forwards it, because forwarding is on; the FORWARD rules
//	   in mini's chain let through what comes from the bridge
//	nat POSTROUTING, MINI-POSTROUTING: -s 10.66.0.0/16 ! -o mini0 -j MASQUERADE
//	   the source address becomes the host's: the outside can answer it
//	... the answer comes back to the host's address; conntrack remembers
//	the translation, rewrites the destination to 10.66.0.2, and the
//	FORWARD rule for established connections lets it onto the bridge.
//
// Why iptables, through its command: it is what Docker does, so a student
// can read mini's rules with the same `iptables -t nat -L -n -v` as
// Docker's, and Debian's iptables speaks nftables underneath anyway. The
// rules live in mini's own chains (MINI-POSTROUTING, MINI-FORWARD), one
// jump to each from the built-in chains; no policy of the host is changed.
// Every rule is added only when missing (-C first) and removed by the same
// words (-D), so setting up twice, or tearing down after a crash, is safe.
//
// One packet from another host to a published port, -p 8080:80:
//
//	to the host's address, port 8080
//	nat PREROUTING, MINI-DNAT: --dport 8080 -j DNAT --to 10.66.0.2:80
//	   the destination becomes the container's; routing now sends it to
//	   the bridge, and FORWARD (MINI-FORWARD) lets it through
//	container eth0, port 80; the answer goes back through conntrack,
//	which undoes the translation on its way out.
//
// The pieces, in the order a start uses them: bridge.go (the switch),
// ipam.go (the address), veth.go (the cable, at the sync point of step
// 01, while the container's first process waits), nat.go (the way out),
// ports.go (the way in), files.go (/etc/hosts, /etc/resolv.conf,
// /etc/hostname).
package network
