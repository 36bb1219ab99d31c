// The image commands: the ones that move images in and out of the store
// (step 04's registry client and archives, step 06's builder), and mini
// images, which asks step 06 which images are only steps of builds.

package main

import (
	"context"
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

// pullMissing pulls an image that run needs and the store lacks, showing
// the pull on stderr.
func pullMissing(root, ref string) error {
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
