// The network flags of run and create (step 05): --net, --ip, --dns*,
// --add-host, -p, -P, --expose, --link, read into the runtime's
// NetworkOptions (steps/07-runtime/network.go). $MINI_NETWORK changes the
// default --net (the VM suite, which has no iptables, sets none).

package main

import (
	"github.com/spf13/pflag"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
)

func addNetworkFlags(f *pflag.FlagSet, o *runtime.NetworkOptions) {
	def := cli.DefaultNetwork()
	f.StringVar(&o.Mode, "network", def, "connect the container to a network: bridge, none, host or container:NAME (env MINI_NETWORK)")
	f.StringVar(&o.Mode, "net", def, "the same as --network")
	f.StringVar(&o.IP, "ip", "", "the container's IPv4 address on the bridge network")
	f.StringArrayVar(&o.DNS, "dns", nil, "a DNS server for /etc/resolv.conf")
	f.StringArrayVar(&o.DNSSearch, "dns-search", nil, "a DNS search domain")
	f.StringArrayVar(&o.DNSOptions, "dns-option", nil, "a DNS option")
	f.StringArrayVar(&o.ExtraHosts, "add-host", nil, "a line for /etc/hosts: HOST:IP")
	f.StringArrayVarP(&o.Publish, "publish", "p", nil, "publish a port: [IP:][HOSTPORT:]PORT[/tcp|udp]")
	f.BoolVarP(&o.PublishAll, "publish-all", "P", false, "publish every exposed port on a free host port")
	f.StringArrayVar(&o.Expose, "expose", nil, "expose a port: PORT[/tcp|udp]")
	f.StringArrayVar(&o.Aliases, "network-alias", nil, "another name for the container on its user network")
	f.StringArrayVar(&o.Links, "link", nil, "link to a running container: NAME[:ALIAS] (/etc/hosts and environment variables)")
}
