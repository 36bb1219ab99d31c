package runtime

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/vishvananda/netlink"

	"mini/steps/07-runtime/store"
)

// A network whose record is damaged is listed as unreadable, named in
// the error of whatever needs it, refused a second creation, and removed
// whole by network rm: bridge, rules and record.
func TestUnreadableNetworkRecord(t *testing.T) {
	rt, _ := newTestRuntime(t)
	if _, err := exec.LookPath("iptables"); err != nil {
		t.Skip("needs iptables")
	}
	b := make([]byte, 3)
	rand.Read(b)
	name := "unreadable-" + hex.EncodeToString(b)
	n, err := rt.CreateNetwork(name, fmt.Sprintf("10.251.%d.0/24", b[0]), "")
	if err != nil {
		t.Skipf("make a network: %v", err)
	}
	t.Cleanup(func() {
		if l, err := netlink.LinkByName(n.Bridge); err == nil {
			netlink.LinkDel(l)
		}
	})
	path := store.Network(rt.Root, name)
	if err := os.WriteFile(path, []byte(`{"Name":`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := rt.Networks(); len(got) != 0 {
		t.Errorf("Networks() = %v; want none readable", got)
	}
	if u := rt.UnreadableNetworks(); len(u) != 1 || u[0].Name != name {
		t.Errorf("UnreadableNetworks() = %v; want %s", u, name)
	}
	if _, err := rt.InspectNetwork(name); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("inspect: %v; want an error naming %s", err, path)
	}
	if _, err := rt.CreateNetwork(name, "", ""); err == nil {
		t.Error("a second network of the name was made over the damaged record")
	}
	if err := rt.RemoveNetwork(name); err != nil {
		t.Fatalf("network rm: %v", err)
	}
	if _, err := netlink.LinkByName(n.Bridge); err == nil {
		t.Errorf("bridge %s left", n.Bridge)
	}
	out, _ := exec.Command("iptables-save").Output()
	if strings.Contains(string(out), n.Bridge) {
		t.Errorf("rules naming %s left:\n%s", n.Bridge, out)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("record %s left: %v", path, err)
	}
}

// The default subnets collide with neither Docker's nor Podman's: the
// default bridge's, and the /24s network create picks without --subnet.
func TestDefaultSubnetsAvoidDockerAndPodman(t *testing.T) {
	t.Setenv("MINI_SUBNET", "")
	others := []string{
		"172.17.0.0/16", "172.16.0.0/12", "192.168.0.0/16", // Docker's bridge and address pools
		"10.88.0.0/16", "10.89.0.0/16", // Podman's default network and its user networks
	}
	_, def, err := net.ParseCIDR(DefaultSubnet())
	if err != nil {
		t.Fatal(err)
	}
	rt := New(t.TempDir(), "", nil)
	user, _, err := rt.chooseSubnet("", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, mine := range []*net.IPNet{def, user} {
		for _, o := range others {
			_, other, _ := net.ParseCIDR(o)
			if mine.Contains(other.IP) || other.Contains(mine.IP) {
				t.Errorf("mini's subnet %s overlaps %s", mine, other)
			}
		}
	}
	if def.Contains(user.IP) || user.Contains(def.IP) {
		t.Errorf("a user network's subnet %s overlaps the default network's %s", user, def)
	}
}
