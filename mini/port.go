// mini port: a running container's published ports (step 05), as Docker
// prints them: "80/tcp -> 0.0.0.0:32768".

package main

import (
	"cmp"
	"fmt"
	"strings"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"

	"github.com/spf13/cobra"
)

func newPortCommand(g *cli.Options) *cobra.Command {
	return &cobra.Command{
		Use: "port CONTAINER [PRIVATE_PORT[/PROTO]]", Short: "List port mappings of a container", Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := cli.Runtime(g.Root).Find(args[0])
			if err != nil {
				return cli.WithStatus(1, err)
			}
			st := c.State()
			want := ""
			if len(args) == 2 {
				port, proto, err := runtime.ParsePort(args[1])
				if err != nil {
					return cli.WithStatus(1, fmt.Errorf("invalid port %q: %v", args[1], err))
				}
				want = fmt.Sprintf("%d/%s", port, proto)
			}
			found := false
			if st.Network != nil && st.Pid != 0 {
				for _, m := range st.Network.Ports {
					if want == "" || strings.HasPrefix(m.String(), want+" ") {
						found = true
						if want != "" {
							fmt.Fprintf(cmd.OutOrStdout(), "%s:%d\n", cmp.Or(m.HostIP, "0.0.0.0"), m.HostPort)
						} else {
							fmt.Fprintln(cmd.OutOrStdout(), m)
						}
					}
				}
			}
			if want != "" && !found {
				return cli.WithStatus(1, fmt.Errorf("no public port %q published for %s", want, c.Name))
			}
			return nil
		},
	}
}
