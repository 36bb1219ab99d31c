// Some of mini's commands are served by programs beside it: mini-image
// (the image commands: imagetool.go says why) and mini-daemon (the API
// daemon). mini runs the program in its place, with the same arguments:
// its output, exit status and signals are the command's own, as Docker's
// command-line plugins (docker buildx) are run.

package main

import (
	"fmt"
	"os"
	"syscall"

	"github.com/spf13/cobra"

	"mini/mini/cli"
)

// A sibling is one such program: its name, the variable that may name
// another path for it, and words for errors ("image tool"; "image
// commands are").
type sibling struct {
	program, env, what, serves string
}

// path is the program: $ENV if set, else the one beside this mini.
func (s sibling) path() (string, error) {
	if env := os.Getenv(s.env); env != "" {
		return env, nil
	}
	if p := cli.SiblingProgram(s.program); p != "" {
		return p, nil
	}
	return "", fmt.Errorf("%s %s's, and there is none beside this mini: run make build, or name it in $%s", s.serves, s.program, s.env)
}

// exec replaces this program with the sibling, given the same arguments.
// It returns only on failure.
func (s sibling) exec() error {
	path, err := s.path()
	if err != nil {
		return err
	}
	err = syscall.Exec(path, append([]string{s.program}, os.Args[1:]...), os.Environ())
	return fmt.Errorf("run the %s %s: %w", s.what, path, err)
}

// command is one command the sibling serves: its flags, its help and the
// shell's completion of it are the sibling's.
func (s sibling) command(use, short string) *cobra.Command {
	c := &cobra.Command{
		Use:                use,
		Short:              short,
		DisableFlagParsing: true, // the sibling reads them, --help too
		RunE:               func(*cobra.Command, []string) error { return cli.Failed(s.exec()) },
	}
	// mini help pull: the sibling knows the flags.
	c.SetHelpFunc(func(c *cobra.Command, _ []string) {
		fmt.Fprintf(c.ErrOrStderr(), "mini: %v\n", s.exec())
	})
	// The shell's completion (mini __complete pull ...): the sibling knows
	// the flags and arguments, and answers in mini's place.
	c.ValidArgsFunction = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		s.exec()
		return nil, cobra.ShellCompDirectiveError
	}
	return c
}
