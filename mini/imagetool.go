// mini's image commands are served by a program of their own, mini-image
// (mini/image, with the commands in mini/imagecli), which this mini runs
// in its place with the same arguments: its output, exit status and
// signals are the command's own, as Docker's command-line plugins (docker
// buildx) are run.
//
// Why. Every Go program runs the package initialisation of all it links
// before main, and its first page faults are in all of it. The registry
// client, the archive formats, the Dockerfile parser and the progress bars
// make up half of mini, and a run of a stored image needs none of them.
// Measured on this project's build machine: mini version 3.1 ms without
// them and 6.1 ms with; mini run --rm true 1.16 ms faster without them
// (interleaved runs); ps -a over 100 containers 5 ms faster. A mini copied
// alone, without mini-image beside it, says so in one line when an image
// command is asked for, and runs everything else.

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"

	"mini/mini/cli"
)

// imageTool is mini-image, the program beside mini that serves them.
var imageTool = sibling{program: "mini-image", env: "MINI_IMAGE", what: "image tool", serves: "image commands are"}

// imageTools are the commands mini-image serves for this mini, with their
// help lines; imagetool_test.go checks them against the commands.
var imageTools = []struct{ use, short string }{
	{"build [OPTIONS] PATH|-", "Build an image from a Dockerfile"},
	{"pull [OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry"},
	{"images [OPTIONS] [REPOSITORY[:TAG]]", "List images"},
	{"push NAME[:TAG]", "Upload an image to a registry"},
	{"save [OPTIONS] IMAGE [IMAGE...]", "Save images to a tar archive (docker save's format)"},
	{"load [OPTIONS]", "Load images from a tar archive (docker save's or podman save's)"},
	{"commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes"},
	{"import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]", "Make an image from a root filesystem archive"},
	{"login [OPTIONS] SERVER", "Log in to a registry"},
	{"logout SERVER", "Log out from a registry"},
	{"search [OPTIONS] [REGISTRY/]TERM", "Search a registry for images"},
}

// imageToolCommands are the image commands as this mini has them: each
// runs mini-image.
func imageToolCommands() []*cobra.Command {
	var cmds []*cobra.Command
	for _, t := range imageTools {
		cmds = append(cmds, imageTool.command(t.use, t.short))
	}
	return cmds
}

// imageGroupToolCommands are those of them Docker also has under "image"
// (image ls, image pull...), under their names there.
func imageGroupToolCommands() []*cobra.Command {
	var cmds []*cobra.Command
	for _, t := range imageTools {
		name, args, _ := strings.Cut(t.use, " ")
		if groupName, aliases, ok := cli.ImageGroupName(name); ok {
			c := imageTool.command(strings.TrimSpace(groupName+" "+args), t.short)
			c.Aliases = aliases
			cmds = append(cmds, c)
		}
	}
	return cmds
}

// pullMissing is the runtime's Pull for run and create: it says, as
// Docker does, that the image is not here, and has mini-image pull it, its
// output on stderr. When the pull fails, mini-image has said why.
func pullMissing(root string) func(ref string) error {
	return func(ref string) error {
		fmt.Fprintf(os.Stderr, "Unable to find image '%s' locally\n", ref)
		tool, err := imageTool.path()
		if err != nil {
			return err
		}
		cmd := exec.Command(tool, "--root", root, "pull", ref)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return cli.ErrSaid
			}
			return fmt.Errorf("run the image tool %s: %w", tool, err)
		}
		return nil
	}
}
