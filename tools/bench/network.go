// Step 05's figure: what the network adds to a container's start and end
// (a veth pair, an address, the files; the bridge and NAT exist already),
// as the median of run --rm on the bridge network minus --net none. The
// bench uses a bridge and subnet of its own, and removes them.

package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"

	network "mini/steps/05-network"
)

func networkBench(dir, mini, rootfs string, n int) error {
	os.Setenv("MINI_BRIDGE", "mini-bench")
	os.Setenv("MINI_SUBNET", "10.87.0.0/24")
	defer network.Locked(func() error {
		_, subnet, _ := net.ParseCIDR("10.87.0.0/24")
		network.RemoveNAT("mini-bench", subnet)
		return network.RemoveBridge("mini-bench")
	})
	root := filepath.Join(dir, "net-root")
	run := func(net string) []string {
		return []string{mini, "--root", root, "run", "--rm", "--net", net, "--rootfs", rootfs, "true"}
	}
	times, err := timeCases([]benchCase{{"bridge", run("bridge")}, {"none", run("none")}}, n)
	if err != nil {
		return err
	}
	b, none := median(times[0]), median(times[1])
	fmt.Printf("%-28s %9s   (run --rm %s with the bridge network, %s without; target under 5ms)\n", "network setup and teardown", ms(b-none), ms(b), ms(none))
	return nil
}
