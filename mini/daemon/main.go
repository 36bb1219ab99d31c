// Command mini-daemon is mini daemon (mini/daemoncli): Docker's Engine
// API over mini's state root. mini runs it for the daemon command, with
// the same arguments.
package main

import (
	"github.com/spf13/cobra"

	"mini/mini/cli"
	"mini/mini/daemoncli"
)

func main() {
	cli.SiblingMain("mini's Engine API daemon", func(g *cli.Options) []*cobra.Command {
		return []*cobra.Command{daemoncli.Command(g, cli.Version)}
	})
}
