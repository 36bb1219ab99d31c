// mini push, save, load, commit.

package imagecli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"mini/internal/atomicfile"
	"mini/mini/cli"
	images "mini/steps/04-images"
	"mini/steps/07-runtime/commit"
)

func newPushCommand(g *cli.Options) *cobra.Command {
	return &cobra.Command{
		Use: "push NAME[:TAG]", Short: "Upload an image to a registry", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := images.OpenStore(g.Root)
			if err == nil {
				err = store.Push(context.Background(), args[0], cmd.OutOrStdout())
			}
			return cli.Failed(err)
		},
	}
}

func newSaveCommand(g *cli.Options) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use: "save [OPTIONS] IMAGE [IMAGE...]", Short: "Save images to a tar archive (docker save's format)", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := images.OpenStore(g.Root)
			if err != nil {
				return cli.WithStatus(1, err)
			}
			if output == "" {
				err = store.Save(cmd.OutOrStdout(), args)
			} else {
				err = atomicfile.Write(output, func(w io.Writer) error { return store.Save(w, args) })
			}
			return cli.Failed(err)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to a file instead of standard output")
	return cmd
}

func newLoadCommand(g *cli.Options) *cobra.Command {
	var input string
	cmd := &cobra.Command{
		Use: "load [OPTIONS]", Short: "Load images from a tar archive (docker save's or podman save's)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := loadImages(cmd, g.Root, input); err != nil {
				return cli.WithStatus(1, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&input, "input", "i", "", "read from a file (or an OCI layout directory) instead of standard input")
	return cmd
}

func loadImages(cmd *cobra.Command, root, input string) error {
	store, err := images.OpenStore(root)
	if err != nil {
		return err
	}
	if input == "" { // the archive is read more than once: keep stdin in a file
		tmp, err := store.TempFile("load")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		_, err = io.Copy(tmp, cmd.InOrStdin())
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		input = tmp.Name()
	}
	names, err := store.Load(input)
	for _, n := range names {
		if strings.HasPrefix(n, "sha256:") { // untagged, as Docker says it
			fmt.Fprintf(cmd.OutOrStdout(), "Loaded image ID: %s\n", n)
		} else {
			fmt.Fprintf(cmd.OutOrStdout(), "Loaded image: %s\n", n)
		}
	}
	return err
}

func newCommitCommand(g *cli.Options) *cobra.Command {
	var opts images.CommitOptions
	pause := true
	cmd := &cobra.Command{
		Use: "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]", Short: "Create a new image from a container's changes", Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			tag := ""
			if len(args) == 2 {
				tag = args[1]
			}
			id, err := commit.Container(cli.Runtime(g.Root), args[0], tag, opts, pause)
			if err != nil {
				return cli.WithStatus(1, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), id)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&pause, "pause", "p", true, "pause the container during the commit")
	cmd.Flags().StringVarP(&opts.Message, "message", "m", "", "commit message")
	cmd.Flags().StringVarP(&opts.Author, "author", "a", "", "author")
	cmd.Flags().StringArrayVarP(&opts.Changes, "change", "c", nil, "apply a Dockerfile instruction to the image (CMD, ENTRYPOINT, ENV, WORKDIR, USER, EXPOSE)")
	return cmd
}
