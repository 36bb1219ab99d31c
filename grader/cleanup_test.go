// Cleaning up after a scenario, whichever mini it graded: what the
// scenario's mini left is found the way the host sees it (processes by
// their environment, mounts in the host's table, cgroups under the
// scenario's parent, links on its bridges, iptables rules naming them)
// and the scenario's networks are asked of the mini itself, through
// `network ls` and `network inspect`. Nothing here reads mini's state
// files, so a student's runtime is cleaned up as well as the reference.

package grader

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// hostNetwork is a network as docker network inspect shows it, in the
// parts the harness reads.
type hostNetwork struct {
	Name string
	IPAM struct {
		Config []struct{ Subnet string }
	}
	Options    map[string]string
	Containers map[string]struct{ Name, IPv4Address string }
}

// Bridge is the network's bridge on the host.
func (n hostNetwork) Bridge() string { return n.Options["com.docker.network.bridge.name"] }

// Subnet is the network's first subnet ("" if none).
func (n hostNetwork) Subnet() string {
	if len(n.IPAM.Config) == 0 {
		return ""
	}
	return n.IPAM.Config[0].Subnet
}

// userNetworks asks the scenario's mini for the networks it made: every
// network but the built-in three.
func userNetworks(getenv func(string) string) []hostNetwork {
	out, err := scenarioCommand(getenv, "mini", "network", "ls").Output()
	if err != nil {
		return nil
	}
	var names []string
	for _, line := range strings.Split(string(out), "\n")[1:] {
		if f := strings.Fields(line); len(f) >= 2 && f[1] != "bridge" && f[1] != "host" && f[1] != "none" {
			names = append(names, f[1])
		}
	}
	if len(names) == 0 {
		return nil
	}
	return scenarioNetworks(getenv, names...)
}

// scenarioNetworks is mini network inspect NAME..., decoded; nil if it fails.
func scenarioNetworks(getenv func(string) string, names ...string) []hostNetwork {
	out, err := scenarioCommand(getenv, "mini", append([]string{"network", "inspect"}, names...)...).Output()
	var nets []hostNetwork
	if err != nil || json.Unmarshal(out, &nets) != nil {
		return nil
	}
	return nets
}

// killScenarioProcesses SIGKILLs every process started with a state root
// under the scenario's directory in its environment (the minis and
// whatever they started that kept it: supervisors, containers' first
// processes; a scenario may use a second state root), and waits for them.
func killScenarioProcesses(work string) {
	mark := []byte("\x00MINI_ROOT=" + work + "/")
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var found bool
		procs, _ := filepath.Glob("/proc/[0-9]*")
		for _, p := range procs {
			environ, _ := os.ReadFile(p + "/environ")
			if strings.Contains("\x00"+string(environ), string(mark)) {
				if pid, err := strconv.Atoi(filepath.Base(p)); err == nil && pid != os.Getpid() && alive(pid) {
					syscall.Kill(pid, syscall.SIGKILL)
					found = true
				}
			}
		}
		if !found {
			return
		}
	}
}

// unmountUnder detaches every mount below dir, deepest first, so that
// removing dir never reaches through one.
func unmountUnder(dir string) {
	data, _ := os.ReadFile("/proc/self/mountinfo")
	var points []string
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 4 {
			if p := unescapeMountPath(f[4]); strings.HasPrefix(p, dir+"/") {
				points = append(points, p)
			}
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(points)))
	for _, p := range points {
		unix.Unmount(p, unix.MNT_DETACH)
	}
}

// unescapeMountPath undoes mountinfo's octal escapes (\040 for a space).
func unescapeMountPath(s string) string {
	for _, esc := range [][2]string{{`\040`, " "}, {`\011`, "\t"}, {`\012`, "\n"}, {`\134`, `\`}} {
		s = strings.ReplaceAll(s, esc[0], esc[1])
	}
	return s
}

// removeHostNetwork removes a bridge, what is plugged into it, and every
// iptables rule that names the bridge or its subnet or forwards a port to
// an address in it, in any runtime's chains.
func removeHostNetwork(bridge, subnet string) {
	if bridge == "" {
		return
	}
	for _, name := range append(linksOn(bridge), bridge) {
		if l, err := netlink.LinkByName(name); err == nil {
			netlink.LinkDel(l)
		}
	}
	os.RemoveAll(filepath.Join("/run/mini/addresses", bridge)) // mini's pool of the bridge's addresses
	for _, table := range ruleTables {
		out, err := exec.Command("iptables-save", "-t", table).Output()
		if err != nil {
			return // no iptables: no rules either
		}
		for _, line := range strings.Split(string(out), "\n") {
			rule, ok := strings.CutPrefix(line, "-A ")
			if ok && (namesWord(rule, bridge) || (subnet != "" && namesWord(rule, subnet)) || natsInto(rule, subnet)) {
				exec.Command("iptables", append([]string{"-t", table, "-D"}, ruleArgs(rule)...)...).Run()
			}
		}
	}
}

// ruleArgs splits an iptables-save rule into arguments: words, and a
// "quoted string" (a comment) as one argument without its quotes.
func ruleArgs(rule string) []string {
	var args []string
	for rule = strings.TrimSpace(rule); rule != ""; rule = strings.TrimSpace(rule) {
		if rule[0] == '"' {
			end := strings.IndexByte(rule[1:], '"')
			if end < 0 {
				end = len(rule) - 1
			}
			args = append(args, rule[1:end+1])
			rule = rule[min(end+2, len(rule)):]
			continue
		}
		word, rest, _ := strings.Cut(rule, " ")
		args = append(args, word)
		rule = rest
	}
	return args
}

// natsInto says whether rule sends packets to an address of subnet: a
// published port's DNAT rule names neither the bridge nor the subnet.
func natsInto(rule, subnet string) bool {
	_, ipnet, err := net.ParseCIDR(subnet)
	if err != nil {
		return false
	}
	f := strings.Fields(rule)
	for i := 0; i+1 < len(f); i++ {
		if f[i] == "--to-destination" {
			host, _, _ := strings.Cut(f[i+1], ":")
			if ip := net.ParseIP(host); ip != nil && ipnet.Contains(ip) {
				return true
			}
		}
	}
	return false
}

// namesWord says whether word is one of rule's words.
func namesWord(rule, word string) bool {
	for _, f := range strings.Fields(rule) {
		if f == word {
			return true
		}
	}
	return false
}

// ruleTables are the iptables tables a runtime's network rules are in:
// NAT and published ports, forwarding and isolation, and raw, where
// packets are dropped before connection tracking sees them.
var ruleTables = []string{"nat", "filter", "raw"}

// userChains are the user-defined chains of the rule tables, as "table
// chain" (iptables-save marks them with the policy "-").
func userChains() map[string]bool {
	chains := map[string]bool{}
	for _, table := range ruleTables {
		out, _ := exec.Command("iptables-save", "-t", table).Output()
		for _, line := range strings.Split(string(out), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && strings.HasPrefix(f[0], ":") && f[1] == "-" {
				chains[table+" "+f[0][1:]] = true
			}
		}
	}
	return chains
}

// removeEmptyChains notes the host's chains and returns what, once the
// run is over and no mini is left, removes each chain made since that is
// now empty, and the jumps to it: a runtime's own chains, whose rules the
// clean-up of a failed scenario removed. A chain the host had before is
// never touched.
func removeEmptyChains() func() {
	before := userChains()
	return func() {
		for tc := range userChains() {
			if before[tc] {
				continue
			}
			table, chain, _ := strings.Cut(tc, " ")
			out, err := exec.Command("iptables-save", "-t", table).Output()
			if err != nil || strings.Contains(string(out), "\n-A "+chain+" ") {
				continue // still in use
			}
			for _, line := range strings.Split(string(out), "\n") {
				if rule, ok := strings.CutPrefix(line, "-A "); ok && strings.HasSuffix(rule, " -j "+chain) {
					exec.Command("iptables", append([]string{"-t", table, "-D"}, ruleArgs(rule)...)...).Run()
				}
			}
			exec.Command("iptables", "-t", table, "-X", chain).Run()
		}
	}
}
