// The files that tell a program inside the container who it is and where
// names are resolved: /etc/hostname, /etc/hosts, /etc/resolv.conf. They
// are written in the container's directory on the host and bind-mounted
// over the image's, as Docker does, so that the image stays unchanged.

package network

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
)

// Host is one /etc/hosts line's address and names.
type Host struct {
	IP    string
	Names []string
}

// HostsFile is /etc/hosts: loopback, then the container's own name and
// address (when it has one), then the extra hosts (--add-host, links).
func HostsFile(hostname string, ip net.IP, extra []Host) string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	b.WriteString("fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n")
	for _, h := range extra {
		fmt.Fprintf(&b, "%s\t%s\n", h.IP, strings.Join(h.Names, " "))
	}
	if ip != nil {
		fmt.Fprintf(&b, "%s\t%s\n", ip, hostname)
	}
	return b.String()
}

// ResolvConf is /etc/resolv.conf: the servers, search domains and options
// given, else the host's file with its loopback servers dropped (they
// would mean the container itself), as Docker does. With no server left,
// nameserver lines are left out: names do not resolve, rather than resolve
// somewhere unexpected.
func ResolvConf(hostFile string, servers, search, options []string) string {
	var b strings.Builder
	if len(servers) == 0 && len(search) == 0 && len(options) == 0 {
		f, err := os.Open(hostFile)
		if err != nil {
			return ""
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 2 && fields[0] == "nameserver" && isLoopback(fields[1]) {
				continue
			}
			b.WriteString(sc.Text() + "\n")
		}
		return b.String()
	}
	for _, s := range servers {
		fmt.Fprintf(&b, "nameserver %s\n", s)
	}
	if len(search) > 0 {
		fmt.Fprintf(&b, "search %s\n", strings.Join(search, " "))
	}
	if len(options) > 0 {
		fmt.Fprintf(&b, "options %s\n", strings.Join(options, " "))
	}
	return b.String()
}

func isLoopback(addr string) bool {
	ip := net.ParseIP(addr)
	return ip != nil && ip.IsLoopback()
}
