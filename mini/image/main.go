// Command mini-image is mini's image tool: pull, push, save, load,
// import, commit, build, images, login, logout and search (mini/imagecli).
// mini runs it for those commands, with the same arguments; it is the
// program that links the registry client, the archive formats, the
// Dockerfile parser and the progress bars, so that mini itself starts
// without them (mini/imagetool.go says why that matters).
package main

import (
	"os"

	"mini/mini/cli"
	"mini/mini/imagecli"
)

func main() {
	g := &cli.Options{}
	root := cli.NewRoot(g, "mini's image tool")
	root.AddCommand(imagecli.Commands(g)...)
	root.AddCommand(imagecli.ImageGroup(g)) // mini image ls, image pull...
	// A RUN's container needs an init and a supervisor: mini-init and
	// mini-shim beside this program, or this program itself.
	root.AddCommand(cli.HiddenCommands()...)
	cli.AddCompletions(root, g)
	root.AddCommand(cli.DocsCommand(root)) // for make man (tools/genman)
	os.Exit(cli.Report(root.Execute()))
}
