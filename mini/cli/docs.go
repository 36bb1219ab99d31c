// mini __docs: the command tree as JSON, every command with its usage,
// help, examples and flags. tools/genman writes the man pages from it
// (make man), so that neither mini nor mini-image links a man page writer,
// and the pages of the image commands come from mini-image, which has
// their flags.

package cli

import (
	"encoding/json"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// DocCommand is one command, as __docs describes it.
type DocCommand struct {
	Use, Short, Long, Example string
	Aliases                   []string `json:",omitempty"`
	// ElsewhereFlags: the flags are another program's (mini-image's).
	ElsewhereFlags  bool         `json:",omitempty"`
	Flags           []DocFlag    `json:",omitempty"` // its own
	PersistentFlags []DocFlag    `json:",omitempty"` // its own, for its subcommands too
	Commands        []DocCommand `json:",omitempty"`
}

// DocFlag is one flag.
type DocFlag struct {
	Name, Shorthand, Usage, DefValue, NoOptDefVal, Type string
}

// DocsCommand is the hidden __docs command of a program whose tree is
// under root.
func DocsCommand(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use: "__docs", Hidden: true, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return json.NewEncoder(cmd.OutOrStdout()).Encode(describe(root))
		},
	}
}

// describe is c and the visible commands under it.
func describe(c *cobra.Command) DocCommand {
	d := DocCommand{Use: c.Use, Short: c.Short, Long: c.Long, Example: c.Example, Aliases: c.Aliases,
		ElsewhereFlags: c.DisableFlagParsing,
		Flags:          docFlags(c.LocalNonPersistentFlags()), PersistentFlags: docFlags(c.PersistentFlags())}
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() || sub.Name() == "help" {
			d.Commands = append(d.Commands, describe(sub))
		}
	}
	return d
}

func docFlags(fs *pflag.FlagSet) []DocFlag {
	var out []DocFlag
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			out = append(out, DocFlag{Name: f.Name, Shorthand: f.Shorthand, Usage: f.Usage,
				DefValue: f.DefValue, NoOptDefVal: f.NoOptDefVal, Type: f.Value.Type()})
		}
	})
	return out
}
