// Command mini-daemon is the program that speaks Docker's Engine API, at
// both ends: mini daemon, the server over mini's state root
// (mini/daemoncli); and, when mini is given a daemon to talk to (-H,
// $MINI_HOST, $DOCKER_HOST), mini's commands as its client
// (mini/remote). mini runs it for those, with the same arguments.
package main

import (
	"os"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	"mini/mini/daemoncli"
	"mini/mini/remote"
)

func main() {
	if host := cli.RemoteHost(os.Args[1:]); host != "" {
		os.Exit(cli.Report(remote.Main(host)))
	}
	cli.SiblingMain("mini's Engine API daemon", func(g *cli.Options) []*cobra.Command {
		return []*cobra.Command{daemoncli.Command(g, cli.Version)}
	})
}
