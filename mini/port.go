// mini port: a container's published ports. Publishing (-p) comes with
// step 05, the network; until then a container has none, and port says
// so as Docker does for a port that is not published.

package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newPortCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use: "port CONTAINER [PRIVATE_PORT[/PROTO]]", Short: "List port mappings of a container", Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := findContainer(g.root, args[0])
			if err != nil {
				return withStatus(1, err)
			}
			if len(args) == 2 {
				port := args[1]
				if !strings.Contains(port, "/") {
					port += "/tcp"
				}
				return withStatus(1, fmt.Errorf("no public port %q published for %s", port, c.cfg.Name))
			}
			return nil // none published
		},
	}
}
