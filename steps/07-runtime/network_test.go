package runtime

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
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
