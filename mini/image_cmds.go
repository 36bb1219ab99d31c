// mini tag, rmi, history, image inspect and image prune.

package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/docker/docker/api/types/image"
	"github.com/spf13/cobra"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
)

func newTagCommand(g *cli.Options) *cobra.Command {
	return &cobra.Command{
		Use: "tag SOURCE_IMAGE TARGET_IMAGE[:TAG]", Short: "Give an image another name", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, rec, err := cli.OpenImage(g.Root, args[0])
			if err == nil {
				err = store.Tag(rec, args[1])
			}
			return cli.Failed(err)
		},
	}
}

func newRmiCommand(g *cli.Options) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use: "rmi [OPTIONS] IMAGE [IMAGE...]", Short: "Remove one or more images", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			say := func(verb, what string) { fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", verb, what) }
			return eachArgQuiet(args, func(ref string) error { return removeImage(say, g.Root, ref, force) })
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "remove the image even if containers use it")
	return cmd
}

// removeImage is docker rmi of one image (the runtime's RemoveImage):
// say is told each name untagged and each image and layer deleted, with
// the verb (Untagged, Deleted).
func removeImage(say func(verb, what string), root, ref string, force bool) error {
	removed, err := cli.Runtime(root).RemoveImage(ref, force)
	sayRemoved(say, removed)
	return err
}

func sayRemoved(say func(verb, what string), removed []image.DeleteResponse) {
	for _, r := range removed {
		if r.Untagged != "" {
			say("Untagged", r.Untagged)
		} else {
			say("Deleted", r.Deleted)
		}
	}
}

func newImageCommand(g *cli.Options) *cobra.Command {
	cmd := &cobra.Command{Use: "image", Short: "Manage images"}
	rm := newRmiCommand(g)
	rm.Use, rm.Aliases = strings.Replace(rm.Use, "rmi", "rm", 1), []string{"rmi", "remove"}
	cmd.AddCommand(newImagePruneCommand(g), newHistoryCommand(g), newTagCommand(g), rm)
	cmd.AddCommand(imageGroupToolCommands()...) // imagetool.go
	var format string
	inspect := &cobra.Command{
		Use: "inspect [OPTIONS] IMAGE [IMAGE...]", Short: "Display detailed information on images", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return inspectImages(cmd, g.Root, args, format) },
	}
	inspect.Flags().StringVarP(&format, "format", "f", "", "format each image with a Go template, such as {{.Config.Cmd}}")
	cmd.AddCommand(inspect)
	return cmd
}

// newInspectCommand is docker inspect: a container by that name or ID
// first, else an image.
func newInspectCommand(g *cli.Options) *cobra.Command {
	var format, kind string
	cmd := &cobra.Command{
		Use: "inspect [OPTIONS] NAME|ID [NAME|ID...]", Short: "Return low-level information on containers and images", Args: cobra.MinimumNArgs(1),
		Example: `  mini inspect web
  mini inspect -f '{{.State.Pid}} {{.NetworkSettings.IPAddress}}' web
  mini inspect -f '{{json .Config.Env}}' --type image busybox`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if kind != "" && kind != "container" && kind != "image" {
				return cli.WithStatus(1, fmt.Errorf("%q is not a valid value for --type: container or image", kind))
			}
			var out []any
			for _, ref := range args {
				o, err := inspectObject(g.Root, ref, kind)
				if err != nil {
					return cli.WithStatus(1, err)
				}
				out = append(out, o)
			}
			return cli.PrintInspect(cmd.OutOrStdout(), out, format)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format each object with a Go template, such as {{.State.Pid}}")
	cmd.Flags().StringVar(&kind, "type", "", "only this kind of object: container or image")
	return cmd
}

// inspectObject is the container ref names, else the image (kind may say
// which to look for).
func inspectObject(root, ref, kind string) (any, error) {
	if kind != "image" {
		c, err := cli.Runtime(root).Find(ref)
		if err == nil {
			return c.Inspect(), nil
		}
		if errors.Is(err, runtime.ErrInvalid) || kind == "container" {
			return nil, err
		}
	}
	ii, err := inspectImage(root, ref)
	if err != nil {
		if kind == "image" {
			return nil, err
		}
		return nil, fmt.Errorf("no such object: %s", ref)
	}
	return ii, nil
}

// newObjectInspectCommand is inspect for one kind of object (KIND:
// NETWORK, VOLUME): each one named, in Docker's shape, or through -f.
func newObjectInspectCommand(kind, plural, example string, find func(string) (any, error)) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "inspect [OPTIONS] " + kind + " [" + kind + "...]",
		Short: "Display detailed information on " + plural, Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out []any
			for _, name := range args {
				o, err := find(name)
				if err != nil {
					return cli.WithStatus(1, err)
				}
				out = append(out, o)
			}
			return cli.PrintInspect(cmd.OutOrStdout(), out, format)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format each of the "+plural+" with a Go template, such as "+example)
	return cmd
}

func inspectImages(cmd *cobra.Command, root string, refs []string, format string) error {
	var out []any
	for _, ref := range refs {
		ii, err := inspectImage(root, ref)
		if err != nil {
			return cli.WithStatus(1, fmt.Errorf("no such object: %s", ref))
		}
		out = append(out, ii)
	}
	return cli.PrintInspect(cmd.OutOrStdout(), out, format)
}

func inspectImage(root, ref string) (*runtime.ImageInspect, error) {
	store, rec, err := cli.OpenImage(root, ref)
	if err != nil {
		return nil, err
	}
	return runtime.InspectImage(store, rec)
}

func newHistoryCommand(g *cli.Options) *cobra.Command {
	return cli.HistoryCommand(func(ref string) ([]image.HistoryResponseItem, error) {
		return cli.Runtime(g.Root).ImageHistory(ref)
	})
}

func newImagePruneCommand(g *cli.Options) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use: "prune", Short: "Remove images that have no name and no container, and the files no image uses", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.Failed(pruneImages(cmd, g.Root, all))
		},
	}
	cmd.Flags().BoolVarP(&all, "all", "a", false, "remove every image no container uses, not only those without a name")
	forceFlag(cmd)
	return cmd
}

// pruneImages is docker image prune (the runtime's PruneImages).
func pruneImages(cmd *cobra.Command, root string, all bool) error {
	fmt.Fprintln(cmd.OutOrStdout(), "Deleted Images:")
	removed, reclaimed, err := cli.Runtime(root).PruneImages(all, func(err error) { fmt.Fprintf(cmd.ErrOrStderr(), "mini: %v\n", err) })
	// Docker's prune says each in lower case: untagged: X, deleted: Y.
	sayRemoved(func(verb, what string) { fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", strings.ToLower(verb), what) }, removed)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "\nTotal reclaimed space: %s\n", cli.DecimalSize(reclaimed))
	return nil
}

// forceFlag adds Docker's -f to a prune. Docker asks for confirmation
// without it; mini never asks, so it changes nothing.
func forceFlag(cmd *cobra.Command) {
	cmd.Flags().BoolP("force", "f", false, "do not prompt for confirmation (mini never does)")
}
