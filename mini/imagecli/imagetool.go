// Package imagecli is mini's image commands: the ones that move images in
// and out of the store (step 04's registry client and archives, step 06's
// builder), and mini images, which asks step 06 which images are only
// steps of builds. They are the program mini-image (mini/image), which mini
// runs for them (mini/imagetool.go says why).
package imagecli

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	images "mini/steps/04-images"
)

// Commands are the image commands, for a program whose global flags are g.
func Commands(g *cli.Options) []*cobra.Command {
	return append([]*cobra.Command{
		newBuildCommand(g),
		newPullCommand(g),
		newImagesCommand(g),
		newPushCommand(g),
		newSaveCommand(g),
		newLoadCommand(g),
		newCommitCommand(g),
		newImportCommand(g),
	}, RegistryCommands()...)
}

// RegistryCommands are login, logout and search: this machine's logins
// (Docker's config) and a registry's catalog, the same for mini and for
// mini as a daemon's client.
func RegistryCommands() []*cobra.Command {
	return []*cobra.Command{newLoginCommand(), newLogoutCommand(), newSearchCommand()}
}

// ImageGroup is the image commands under "image": mini-image image ls,
// image pull... as mini image runs them (cli.ImageGroupName).
func ImageGroup(g *cli.Options) *cobra.Command {
	group := &cobra.Command{Use: "image", Short: "Manage images"}
	for _, c := range Commands(g) {
		if name, aliases, ok := cli.ImageGroupName(c.Name()); ok {
			c.Use, c.Aliases = name+c.Use[len(c.Name()):], aliases
			group.AddCommand(c)
		}
	}
	return group
}

// pull pulls an image into the store, showing the pull on stderr.
func pull(root, ref string) error {
	store, err := images.OpenStore(root)
	if err != nil {
		return err
	}
	progress, done := newPullProgress(os.Stderr)
	_, err = store.Pull(context.Background(), ref, progress)
	done()
	return err
}
