// The image commands: the ones that move images in and out of the store
// (step 04's registry client and archives, step 06's builder), and mini
// images, which asks step 06 which images are only steps of builds.

package main

import (
	"context"
	"fmt"
	"os"
	"runtime"

	"github.com/spf13/cobra"

	images "mini/steps/04-images"
)

func imageToolCommands(g *globalOptions) []*cobra.Command {
	return []*cobra.Command{
		newBuildCommand(g),
		newPullCommand(g),
		newImagesCommand(g),
		newPushCommand(g),
		newSaveCommand(g),
		newLoadCommand(g),
		newCommitCommand(g),
		newImportCommand(g),
		newLoginCommand(),
		newLogoutCommand(),
		newSearchCommand(),
	}
}

// pullMissing is the runtime's Pull for run and create: it says, as
// Docker does, that the image is not here, and pulls it, showing the pull
// on stderr.
func pullMissing(root string) func(ref string) error {
	return func(ref string) error {
		fmt.Fprintf(os.Stderr, "Unable to find image '%s' locally\n", ref)
		return pull(root, ref)
	}
}

func pull(root, ref string) error {
	// run gave Go's scheduler one processor (Main); a pull unpacks
	// layers side by side.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(runtime.NumCPU()))
	store, err := images.OpenStore(root)
	if err != nil {
		return err
	}
	progress, done := newPullProgress(os.Stderr)
	_, err = store.Pull(context.Background(), ref, progress)
	done()
	return err
}
