// Command mini-image is mini's image tool: pull, push, save, load,
// import, commit, build, images, login, logout and search (mini/imagecli).
// mini runs it for those commands, with the same arguments; it is the
// program that links the registry client, the archive formats, the
// Dockerfile parser and the progress bars, so that mini itself starts
// without them (mini/imagetool.go says why that matters).
package main

import (
	"github.com/spf13/cobra"

	"mini/mini/cli"
	"mini/mini/imagecli"
)

func main() {
	cli.SiblingMain("mini's image tool", func(g *cli.Options) []*cobra.Command {
		// and mini image ls, image pull...: Docker's image group
		return append(imagecli.Commands(g), imagecli.ImageGroup(g))
	})
}
