// What every mini command shares: the global flags, and the image store
// they name.

package cli

import (
	"errors"
	"fmt"
	"os"

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
	// Read before the commands are (RemoteHost): with it, mini is a client.
	root.PersistentFlags().StringP("host", "H", "", "a daemon to be the client of: unix:///PATH or tcp://HOST:PORT (env MINI_HOST, DOCKER_HOST)")
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

// SiblingMain is the whole of a program that serves some of mini's
// commands (mini-image, mini-daemon): its commands, made with the global
// flags g, and what every such program has besides: mini's hidden roles
// (a container it starts needs an init and a supervisor: mini-init and
// mini-shim beside it, or itself), the shell's completion and __docs.
func SiblingMain(short string, commands func(g *Options) []*cobra.Command) {
	g := &Options{}
	root := NewRoot(g, short)
	root.AddCommand(commands(g)...)
	root.AddCommand(HiddenCommands()...)
	AddCompletions(root, g)
	root.AddCommand(DocsCommand(root)) // for make man (tools/genman)
	os.Exit(Report(root.Execute()))
}
