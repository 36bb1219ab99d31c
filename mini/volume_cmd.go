// mini volume: the volumes mini keeps under $root/volumes, each a directory
// (NAME/_data) that containers bind-mount.

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/store"
)

func newVolumeCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{Use: "volume", Short: "Manage volumes"}
	cmd.AddCommand(
		&cobra.Command{
			Use: "create [NAME]", Short: "Create a volume", Args: cobra.MaximumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				name := runtime.NewID()
				if len(args) == 1 {
					name = args[0]
				}
				if !runtime.ValidName(name) {
					return withStatus(1, fmt.Errorf("invalid volume name %q: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name))
				}
				if err := os.MkdirAll(store.VolumeData(g.root, name), 0o755); err != nil {
					return withStatus(1, err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), name)
				return nil
			},
		},
		newVolumeLsCommand(g),
		&cobra.Command{
			Use: "inspect VOLUME [VOLUME...]", Short: "Display detailed information on volumes", Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return inspectVolumes(cmd, g.root, args)
			},
		},
		&cobra.Command{
			Use: "rm VOLUME [VOLUME...]", Short: "Remove volumes no container uses", Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return eachArg(cmd, args, func(n string) error { return removeVolume(g.root, n) })
			},
		},
		&cobra.Command{
			Use: "prune", Short: "Remove all volumes no container uses", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				names, err := volumeNames(g.root)
				if err != nil {
					return withStatus(1, err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), "Deleted Volumes:")
				for _, n := range names {
					if removeVolume(g.root, n) == nil {
						fmt.Fprintln(cmd.OutOrStdout(), n)
					}
				}
				return nil
			},
		},
	)
	return cmd
}

func volumeNames(root string) ([]string, error) {
	entries, err := os.ReadDir(store.Volumes(root))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// usedBy names the containers whose config mounts the volume.
func usedBy(root, name string) ([]string, error) {
	all, err := runtimeAt(root).List()
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range all {
		for _, v := range c.Volumes {
			if v.Name == name {
				ids = append(ids, c.ID[:12])
				break
			}
		}
	}
	return ids, nil
}

// removeVolume removes a volume that no container uses, under the store's
// lock so that no container is made with it meanwhile.
func removeVolume(root, name string) error {
	return store.WithNamesLock(root, func() error {
		if _, err := os.Stat(store.Volume(root, name)); err != nil || !runtime.ValidName(name) {
			return fmt.Errorf("no such volume: %s", name)
		}
		ids, err := usedBy(root, name)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			return fmt.Errorf("volume %s is in use by %v: remove those containers first", name, ids)
		}
		return os.RemoveAll(store.Volume(root, name))
	})
}

// volumeInfo is Docker's inspect shape for a volume.
type volumeInfo struct {
	CreatedAt  time.Time
	Driver     string
	Labels     map[string]string
	Mountpoint string
	Name       string
	Options    map[string]string
	Scope      string
}

func inspectVolumes(cmd *cobra.Command, root string, names []string) error {
	var out []volumeInfo
	for _, n := range names {
		fi, err := os.Stat(store.Volume(root, n))
		if err != nil || !runtime.ValidName(n) {
			return withStatus(1, fmt.Errorf("no such volume: %s", n))
		}
		out = append(out, volumeInfo{CreatedAt: fi.ModTime().UTC(), Driver: "local", Mountpoint: store.VolumeData(root, n), Name: n, Scope: "local"})
	}
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "    ")
	return enc.Encode(out)
}

// newVolumeLsCommand is volume ls: Docker's two columns, or -q the names.
func newVolumeLsCommand(g *globalOptions) *cobra.Command {
	var quiet bool
	cmd := &cobra.Command{
		Use: "ls [OPTIONS]", Short: "List volumes", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			names, err := volumeNames(g.root)
			if err != nil {
				return withStatus(1, err)
			}
			if quiet {
				for _, n := range names {
					fmt.Fprintln(cmd.OutOrStdout(), n)
				}
				return nil
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 4, ' ', 0)
			fmt.Fprintln(tw, "DRIVER\tVOLUME NAME")
			for _, n := range names {
				fmt.Fprintf(tw, "local\t%s\n", n)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "only display volume names")
	return cmd
}
