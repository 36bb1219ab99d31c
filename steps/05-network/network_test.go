package network

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
)

func TestPoolNeverHandsOutAnAddressTwice(t *testing.T) {
	_, subnet, _ := net.ParseCIDR("10.9.0.0/29") // .1 gateway, .2 to .6 free, .7 broadcast
	dir := filepath.Join(t.TempDir(), "pool")
	p := &Pool{Dir: dir, Subnet: subnet, Gateway: net.ParseIP("10.9.0.1")}
	var mu sync.Mutex
	got := map[string]bool{}
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// Each its own Pool on the one directory, as two minis with
			// state roots of their own on one bridge.
			p := &Pool{Dir: dir, Subnet: subnet, Gateway: net.ParseIP("10.9.0.1")}
			ip, err := p.Allocate(string(rune('a'+i)), nil)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if got[ip.String()] {
				t.Errorf("%s handed out twice", ip)
			}
			got[ip.String()] = true
		}(i)
	}
	wg.Wait()
	if _, err := p.Allocate("full", nil); err == nil {
		t.Fatal("a full subnet gave an address")
	}
	if err := p.Release("c"); err != nil {
		t.Fatal(err)
	}
	if ip, err := p.Allocate("again", nil); err != nil || !got[ip.String()] {
		t.Fatalf("released address not reused: %v %v", ip, err)
	}
	for _, bad := range []string{"10.9.0.0", "10.9.0.1", "10.9.0.7", "10.9.1.2"} {
		if _, err := p.Allocate("x", net.ParseIP(bad)); err == nil {
			t.Errorf("%s was handed out", bad)
		}
	}
}

// A damaged entry takes its own address out of the pool and no other:
// every other start goes on.
func TestDamagedEntryBlocksOnlyItsAddress(t *testing.T) {
	_, subnet, _ := net.ParseCIDR("10.9.0.0/29")
	p := &Pool{Dir: t.TempDir(), Subnet: subnet, Gateway: net.ParseIP("10.9.0.1")}
	os.WriteFile(filepath.Join(p.Dir, "10.9.0.2"), nil, 0o600) // an empty claim
	os.WriteFile(filepath.Join(p.Dir, "junk"), []byte("{"), 0o600)
	ip, err := p.Allocate("a", nil)
	if err != nil || ip.String() != "10.9.0.3" {
		t.Fatalf("Allocate = %v, %v; want 10.9.0.3", ip, err)
	}
	if _, err := p.Allocate("b", net.ParseIP("10.9.0.3")); err == nil || !strings.Contains(err.Error(), "in use by container a") {
		t.Fatalf("a taken address: %v", err)
	}
	if again, _ := p.Allocate("a", nil); !again.Equal(ip) {
		t.Fatalf("the owner's second Allocate gave %v, not %v", again, ip)
	}
	if err := p.Release("a"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(p.Dir, "10.9.0.3")); !os.IsNotExist(err) {
		t.Fatalf("released address still taken: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(p.Dir, ".claim-*")); len(left) > 0 {
		t.Fatalf("claim files left: %v", left)
	}
}

func TestResolvConfDropsLoopbackServers(t *testing.T) {
	host := filepath.Join(t.TempDir(), "resolv.conf")
	os.WriteFile(host, []byte("nameserver 127.0.0.53\nnameserver 192.0.2.1\nsearch lan\n"), 0o644)
	got := ResolvConf(host, nil, nil, nil)
	if strings.Contains(got, "127.0.0.53") || !strings.Contains(got, "nameserver 192.0.2.1") || !strings.Contains(got, "search lan") {
		t.Fatalf("resolv.conf:\n%s", got)
	}
	if got := ResolvConf(host, []string{"192.0.2.9"}, []string{"x.test"}, nil); got != "nameserver 192.0.2.9\nsearch x.test\n" {
		t.Fatalf("with --dns:\n%s", got)
	}
}

// A process in a network namespace of its own is plugged into a bridge,
// is reachable from the host through it, and everything goes away again.
func TestConnectPlugsANamespaceIntoTheBridge(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	if _, err := exec.LookPath("iptables"); err != nil {
		t.Skip("needs iptables")
	}
	b := make([]byte, 4)
	rand.Read(b)
	bridge, id := "mtu"+hex.EncodeToString(b), hex.EncodeToString(append(b, b...))
	gw, subnet, _ := net.ParseCIDR("10.199.77.1/24")
	gateway := &net.IPNet{IP: gw, Mask: subnet.Mask}
	if err := EnsureBridge(bridge, gateway); err != nil {
		t.Fatal(err)
	}
	defer RemoveBridge(bridge)
	if err := Locked(func() error { return EnsureNAT(bridge, subnet) }); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := Locked(func() error { return RemoveNAT(bridge, subnet) }); err != nil {
			t.Error(err)
		}
		if out, _ := exec.Command("iptables-save").Output(); strings.Contains(string(out), bridge) {
			t.Errorf("rules left:\n%s", out)
		}
	}()
	sleeper := exec.Command("sleep", "30")
	sleeper.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET}
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	ip := net.ParseIP("10.199.77.9")
	ep := Endpoint{HostIf: HostIfName(id), IfName: "eth0", Address: &net.IPNet{IP: ip, Mask: subnet.Mask}, Gateway: gw, MAC: MACFor(ip)}
	if err := Connect(sleeper.Process.Pid, bridge, ep, true); err != nil {
		t.Fatal(err)
	}
	// busybox-static's ping: the tests' one dependency for it.
	if out, err := exec.Command("busybox", "ping", "-c", "1", "-W", "2", ip.String()).CombinedOutput(); err != nil {
		t.Fatalf("ping the namespace from the host: %v\n%s", err, out)
	}
	sleeper.Process.Kill()
	sleeper.Wait()
	// The kernel removes a dead namespace's devices in the background.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := netlink.LinkByName(ep.HostIf); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s outlived its namespace", ep.HostIf)
		}
	}
}
