// What every mini command shares: the global flags, and the image store
// they name.

package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"mini/steps/04-images/imagestore"
)

// Options are the flags every command accepts.
type Options struct {
	Root string // where all state lives (images, containers, volumes)
}

// NewRoot is a mini program's root command, with the global flags every
// command accepts (into g) and Docker's status for bad usage.
func NewRoot(g *Options, short string) *cobra.Command {
	root := &cobra.Command{
		Use:           "mini",
		Short:         short,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.Root, "root", DefaultRoot(), "directory for mini's state (env MINI_ROOT)")
	root.SetFlagErrorFunc(UsageError)
	return root
}

// OpenImage finds an image in the store by name or ID.
func OpenImage(root, ref string) (*imagestore.Store, *imagestore.Record, error) {
	store, err := imagestore.Open(root)
	if err != nil {
		return nil, nil, err
	}
	rec, err := store.Lookup(ref)
	if errors.Is(err, imagestore.ErrNotFound) {
		return nil, nil, fmt.Errorf("no such image: %s", ref)
	}
	return store, rec, err
}
