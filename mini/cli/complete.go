// Shell completion of the names of containers, images, networks and
// volumes. cobra writes the shells' scripts (mini completion bash) and
// completes commands and flags; what each argument is, it learns here
// from the command's usage line: "stop [OPTIONS] CONTAINER
// [CONTAINER...]" completes container names at every position, "tag
// SOURCE_IMAGE TARGET_IMAGE[:TAG]" image names at the first two.

package cli

import (
	"os"
	"strings"

	"github.com/spf13/cobra"

	"mini/steps/04-images/imagestore"
)

// AddCompletions gives every command of the tree under root, and the flags
// that name objects, completion of the names in g's state root.
func AddCompletions(root *cobra.Command, g *Options) {
	if len(os.Args) < 2 || !strings.HasPrefix(os.Args[1], cobra.ShellCompRequestCmd) {
		return // only the shell's request needs them (__complete, __completeNoDesc)
	}
	names := func(kind string) []string { return objectNames(g.Root, kind) }
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.ValidArgsFunction == nil && !c.DisableFlagParsing {
			kinds, repeats := positionalKinds(c.Use)
			c.ValidArgsFunction = argCompletion(kinds, repeats, names)
		}
		for flag, kind := range flagKinds {
			if c.Flags().Lookup(flag) != nil {
				c.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
					return names(kind), cobra.ShellCompDirectiveNoFileComp
				})
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// flagKinds are the flags whose values are objects' names.
var flagKinds = map[string]string{
	"net": "NETWORK", "network": "NETWORK", "volumes-from": "CONTAINER", "link": "CONTAINER",
}

// positionalKinds reads a usage line's arguments: the kind of object each
// names ("" for none), and whether the last one repeats.
func positionalKinds(use string) (kinds []string, repeats bool) {
	use, _, _ = strings.Cut(use, "  or ") // cp's second form
	words := strings.Fields(use)
	for _, w := range words[1:] {
		if w == "[OPTIONS]" {
			continue
		}
		repeats = strings.Contains(w, "...")
		kinds = append(kinds, kindOf(w))
	}
	return kinds, repeats
}

// kindOf is the object an argument's word names: CONTAINER, IMAGE (also
// REPOSITORY and NAME[:TAG]), NETWORK, VOLUME, OBJECT (a container or an
// image), or "" for a path, a command or a new name.
func kindOf(word string) string {
	switch {
	case strings.Contains(word, "NAME|ID"):
		return "OBJECT"
	case strings.HasPrefix(strings.Trim(word, "["), "CONTAINER:"):
		return "CONTAINER:"
	case strings.Contains(word, "CONTAINER"):
		return "CONTAINER"
	case strings.Contains(word, "IMAGE"), strings.HasPrefix(strings.Trim(word, "["), "REPOSITORY"),
		strings.HasPrefix(word, "NAME[:TAG"):
		return "IMAGE"
	case strings.Contains(word, "NETWORK"):
		return "NETWORK"
	case strings.Contains(word, "VOLUME"):
		return "VOLUME"
	}
	return ""
}

// argCompletion completes the argument at each position by its kind;
// where it names no object, the shell completes file names.
func argCompletion(kinds []string, repeats bool, names func(string) []string) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		i := len(args)
		if i >= len(kinds) {
			if !repeats || len(kinds) == 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			i = len(kinds) - 1
		}
		switch kind := kinds[i]; kind {
		case "":
			return nil, cobra.ShellCompDirectiveDefault
		case "CONTAINER:": // cp: NAME: then a path inside
			var out []string
			for _, n := range names("CONTAINER") {
				out = append(out, n+":")
			}
			return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
		default:
			return names(kind), cobra.ShellCompDirectiveNoFileComp
		}
	}
}

// objectNames lists the names of one kind of object in the state root.
func objectNames(root, kind string) []string {
	var out []string
	switch kind {
	case "CONTAINER":
		all, _ := Runtime(root).List()
		for _, c := range all {
			out = append(out, c.Name)
		}
	case "IMAGE":
		recs, _ := imagestore.Peek(root).Records()
		for _, r := range recs {
			out = append(out, r.RepoTags...)
		}
	case "NETWORK":
		out = []string{"bridge", "host", "none"}
		for _, n := range Runtime(root).Networks() {
			out = append(out, n.Name)
		}
	case "VOLUME":
		out, _ = Runtime(root).VolumeNames()
	case "OBJECT":
		out = append(objectNames(root, "CONTAINER"), objectNames(root, "IMAGE")...)
	}
	return out
}
