//go:build slim

// mini's image tool in a program of its own.
//
// Every Go program runs the package initialisation of all it links before
// main, and starts up faster the smaller it is. The registry client, the
// archive formats, the Dockerfile parser and the progress bars make up
// half of mini, and cost a millisecond of initialisation on every start,
// run included, though a run of a stored image needs none of them.
//
// So `make build` makes this mini with -tags slim, without them, and
// installs the whole of mini beside it as mini-image (imagetool.go). The
// image commands here only run mini-image with the same arguments, in place
// of this program: its output, exit status and signals are the command's
// own. Docker's command-line plugins (docker buildx) work the same way.

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"

	"github.com/spf13/cobra"
)

// slimBuild says whether this mini leaves the image commands to mini-image.
const slimBuild = true

func imageToolCommands(*globalOptions) []*cobra.Command {
	var cmds []*cobra.Command
	for _, t := range imageTools {
		c := &cobra.Command{
			Use:                t.use,
			Short:              t.short,
			DisableFlagParsing: true, // mini-image reads them, --help too
			RunE:               func(*cobra.Command, []string) error { return failed(execImageTool()) },
		}
		// mini help pull: mini-image knows the flags.
		c.SetHelpFunc(func(c *cobra.Command, _ []string) {
			fmt.Fprintf(c.ErrOrStderr(), "mini: %v\n", execImageTool())
		})
		cmds = append(cmds, c)
	}
	return cmds
}

// execImageTool replaces this program with mini-image, given the same
// arguments. It returns only on failure.
func execImageTool() error {
	tool, err := imageTool()
	if err != nil {
		return err
	}
	err = syscall.Exec(tool, append([]string{"mini-image"}, os.Args[1:]...), os.Environ())
	return fmt.Errorf("run the image tool %s: %w", tool, err)
}

// pullMissing has mini-image pull an image that run needs and the store
// lacks, its output on stderr. When the pull fails, mini-image has said
// why.
func pullMissing(root, ref string) error {
	tool, err := imageTool()
	if err != nil {
		return err
	}
	cmd := exec.Command(tool, "--root", root, "pull", ref)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return errSaid
		}
		return fmt.Errorf("run the image tool %s: %w", tool, err)
	}
	return nil
}

// imageTool is mini-image: $MINI_IMAGE if set, else the one beside this
// program.
func imageTool() (string, error) {
	if env := os.Getenv("MINI_IMAGE"); env != "" {
		return env, nil
	}
	if p := siblingProgram("mini-image"); p != "" {
		return p, nil
	}
	return "", fmt.Errorf("this mini leaves image commands to mini-image, and there is none beside it: run make build, or name it in $MINI_IMAGE")
}
