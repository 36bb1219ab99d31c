// Command mini-daemon is mini daemon (mini/daemoncli): Docker's Engine
// API over mini's state root. mini runs it for the daemon command, with
// the same arguments.
package main

import (
	"os"

	"mini/mini/cli"
	"mini/mini/daemoncli"
)

func main() {
	g := &cli.Options{}
	root := cli.NewRoot(g, "mini's Engine API daemon")
	root.AddCommand(daemoncli.Command(g, cli.Version))
	// The containers it starts need an init and a supervisor: mini-init
	// and mini-shim beside this program, or this program itself.
	root.AddCommand(cli.HiddenCommands()...)
	cli.AddCompletions(root, g)
	root.AddCommand(cli.DocsCommand(root)) // for make man (tools/genman)
	os.Exit(cli.Report(root.Execute()))
}
