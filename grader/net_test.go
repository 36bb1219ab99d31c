// The scenarios' "outside" host: a network namespace the test makes, on a
// veth link of its own to the host, with a TCP server that answers every
// connection with the address it came from. A container reaching it goes
// through the host's routing and NAT, as it would reach another machine.

package grader

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// cmdOutsidehost starts the outside host and sets $OUTSIDE to its
// address:port. It goes when the scenario ends.
func cmdOutsidehost(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: outsidehost")
	}
	n := scenarios.Add(1)
	hostIP := net.IPv4(10, 250, byte(n%250), 1)
	outIP := net.IPv4(10, 250, byte(n%250), 2)
	mask := net.CIDRMask(30, 32)
	ready := make(chan error, 1)
	var ns netns.NsHandle
	var l net.Listener
	go func() {
		runtime.LockOSThread() // never unlocked: the thread goes, and its namespace with it
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			ready <- err
			return
		}
		var err error
		if ns, err = netns.Get(); err == nil {
			l, err = net.Listen("tcp", "0.0.0.0:8000")
		}
		ready <- err
		if err != nil {
			return
		}
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go answer(c)
		}
	}()
	ts.Check(<-ready)
	hostIf := "mo" + randomID()
	la := netlink.NewLinkAttrs()
	la.Name = hostIf
	ts.Check(netlink.LinkAdd(&netlink.Veth{LinkAttrs: la, PeerName: "eth0", PeerNamespace: netlink.NsFd(int(ns))}))
	ts.Defer(func() {
		outsideHosts.Delete(ts.Getenv("WORK"))
		l.Close()
		if link, err := netlink.LinkByName(hostIf); err == nil {
			netlink.LinkDel(link)
		}
		ns.Close()
	})
	host, err := netlink.LinkByName(hostIf)
	ts.Check(err)
	ts.Check(netlink.AddrAdd(host, &netlink.Addr{IPNet: &net.IPNet{IP: hostIP, Mask: mask}}))
	ts.Check(netlink.LinkSetUp(host))
	h, err := netlink.NewHandleAt(ns, unix.NETLINK_ROUTE) // not xfrm: the VM has no module for it
	ts.Check(err)
	defer h.Close()
	inner, err := h.LinkByName("eth0")
	ts.Check(err)
	ts.Check(h.AddrAdd(inner, &netlink.Addr{IPNet: &net.IPNet{IP: outIP, Mask: mask}}))
	ts.Check(h.LinkSetUp(inner))
	ts.Setenv("OUTSIDE", outIP.String()+":8000")
	ts.Setenv("OUTSIDE_LINK", hostIP.String())
	outsideHosts.Store(ts.Getenv("WORK"), ns)
}

// outsideHosts keeps each scenario's outside namespace, for fromoutside.
var outsideHosts sync.Map

// cmdFromoutside fetches URL (or the URL in file F, given as @F) from the
// outside host (outsidehost first) and prints the answer: a client on
// another machine, as far as the host can tell.
func cmdFromoutside(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: fromoutside URL|@FILE")
	}
	url := args[0]
	if f, ok := strings.CutPrefix(url, "@"); ok {
		url = strings.TrimSpace(ts.ReadFile(f))
	}
	v, ok := outsideHosts.Load(ts.Getenv("WORK"))
	if !ok {
		ts.Fatalf("fromoutside: run outsidehost first")
	}
	body, err := getFrom(v.(netns.NsHandle), url)
	if neg {
		if err == nil {
			ts.Fatalf("fromoutside %s: got an answer", url)
		}
		return
	}
	ts.Check(err)
	ts.Stdout().Write(body)
}

// getFrom makes the request from a thread that has joined ns: its socket
// is made in ns, and stays there whatever thread uses it after.
func getFrom(ns netns.NsHandle, url string) ([]byte, error) {
	type result struct {
		body []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread goes when this ends
		if err := netns.Set(ns); err != nil {
			done <- result{nil, err}
			return
		}
		client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		var r result
		for try := 0; try < 50; try++ { // the server may be starting
			resp, err := client.Get(url)
			if err == nil {
				r.body, r.err = io.ReadAll(resp.Body)
				resp.Body.Close()
				break
			}
			r.err = err
			time.Sleep(50 * time.Millisecond)
		}
		done <- r
	}()
	r := <-done
	return r.body, r.err
}

// answer reads the request (an answer before it would reset the
// connection) and says where it came from.
func answer(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == "\r\n" || line == "\n" {
			break
		}
	}
	host, _, _ := net.SplitHostPort(c.RemoteAddr().String())
	fmt.Fprintf(c, "HTTP/1.0 200 OK\r\n\r\nseen-from %s\n", host)
}
