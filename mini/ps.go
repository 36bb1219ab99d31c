// mini ps, wait, container prune: the stored containers and their states.

package main

import (
	"cmp"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

type psOptions struct {
	all, quiet, latest, noTrunc bool
	last                        int
	filters                     []string
	format                      string
}

func newPsCommand(g *cli.Options) *cobra.Command {
	var o psOptions
	cmd := &cobra.Command{
		Use: "ps [OPTIONS]", Short: "List containers", Args: cobra.NoArgs,
		Example: `  mini ps -a                                  # stopped ones too
  mini ps -a -f status=exited -q              # the IDs of the exited ones
  mini ps --format 'table {{.Names}}\t{{.Status}}\t{{.Ports}}'
  mini ps --format json`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			supervisor.Sweep(g.Root)
			if err := listContainers(cmd.OutOrStdout(), g.Root, o); err != nil {
				return cli.WithStatus(1, err)
			}
			for _, u := range cli.Runtime(g.Root).Unreadable() { // not listed: say they exist
				fmt.Fprintln(cmd.ErrOrStderr(), "mini:", u)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&o.all, "all", "a", false, "show all containers (default shows just running)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "only display container IDs")
	f.BoolVarP(&o.latest, "latest", "l", false, "show the latest created container")
	f.IntVarP(&o.last, "last", "n", -1, "show n last created containers")
	f.BoolVar(&o.noTrunc, "no-trunc", false, "do not truncate output")
	f.StringArrayVarP(&o.filters, "filter", "f", nil, "filter: id, name, status, exited, ancestor, label, network, volume, health, before, since (KEY=VALUE)")
	f.StringVar(&o.format, "format", "", "format the list: table, json, or a Go template such as {{.Names}}")
	return cmd
}

func listContainers(w io.Writer, root string, o psOptions) error {
	if o.latest {
		o.last = 1
	}
	listed, err := cli.Runtime(root).ListContainers(runtime.ListOptions{All: o.all, Last: o.last, Filters: o.filters})
	if err != nil {
		return err
	}
	var rows []cli.PsRow
	for _, l := range listed {
		rows = append(rows, psRowOf(l.Container, l.State, o.noTrunc))
	}
	return printPs(w, rows, o)
}

func psRowOf(c *runtime.Container, st *supervisor.State, noTrunc bool) cli.PsRow {
	id, command := c.ID, strings.Join(append([]string{c.Path()}, c.Args()...), " ")
	if !noTrunc {
		id = id[:12]
		if r := []rune(command); len(r) > 20 {
			command = string(r[:19]) + "…"
		}
	}
	command = strconv.Quote(command) // cut, then quoted: docker/cli's order
	image := c.Image
	if image == "" {
		image = c.Lower[0] // a --rootfs directory
	}
	var labels map[string]string
	if c.Config != nil {
		labels = c.Config.Labels
	}
	return cli.PsRow{ID: id, Image: image, Command: command, CreatedAt: cli.LocalTime(c.Created),
		RunningFor: cli.Ago(c.Created), Status: runtime.StatusText(st), State: st.Status, Ports: portsText(c, st), Names: c.Name,
		Labels: labelsText(labels), Mounts: mountsText(c, noTrunc), Networks: networksText(c), LocalVolumes: localVolumes(c),
		Size: "0B", LabelMap: labels}
}

// labelsText is Docker's LABELS: KEY=VALUE, comma-separated (sorted here,
// so that two listings agree).
func labelsText(labels map[string]string) string {
	var kv []string
	for k, v := range labels {
		kv = append(kv, k+"="+v)
	}
	sort.Strings(kv)
	return strings.Join(kv, ",")
}

// mountsText is Docker's MOUNTS: a volume's name, or a bind's host path,
// cut at 15 characters unless --no-trunc.
func mountsText(c *runtime.Container, noTrunc bool) string {
	var names []string
	for _, v := range c.Volumes {
		name := cmp.Or(v.Name, v.Source)
		if r := []rune(name); !noTrunc && len(r) > 15 {
			name = string(r[:14]) + "…"
		}
		names = append(names, name)
	}
	return strings.Join(names, ",")
}

// localVolumes is Docker's LOCAL VOLUMES: how many volumes (not binds).
func localVolumes(c *runtime.Container) string {
	n := 0
	for _, v := range c.Volumes {
		if v.Name != "" {
			n++
		}
	}
	return strconv.Itoa(n)
}

// networksText is Docker's NETWORKS: the container's network, then the
// ones network connect added.
func networksText(c *runtime.Container) string {
	var names []string
	if nj := c.Network; nj != nil && nj.Mode != supervisor.NetContainer {
		names = append(names, cmp.Or(nj.Name, nj.Mode))
	}
	for _, x := range supervisor.Connections(c.Dir) {
		names = append(names, x.Network)
	}
	return strings.Join(names, ",")
}

// portsText is Docker's PORTS column for a running container: each
// published port as 0.0.0.0:8080->80/tcp, then each port exposed but not
// published as 80/tcp.
func portsText(c *runtime.Container, st *supervisor.State) string {
	if st.Pid == 0 || st.Network == nil {
		return ""
	}
	var published, exposed []string
	seen := map[string]bool{}
	for _, m := range st.Network.Ports {
		port := fmt.Sprintf("%d/%s", m.ContainerPort, m.Proto)
		seen[port] = true
		published = append(published, fmt.Sprintf("%s:%d->%s", cmp.Or(m.HostIP, "0.0.0.0"), m.HostPort, port))
	}
	if c.Config != nil {
		for p := range c.Config.ExposedPorts {
			if !seen[string(p)] {
				exposed = append(exposed, string(p))
			}
		}
	}
	sort.Strings(published)
	sort.Strings(exposed)
	return strings.Join(append(published, exposed...), ", ")
}

func printPs(w io.Writer, rows []cli.PsRow, o psOptions) error {
	return cli.Print(w, cli.PsListing, o.format, o.quiet, rows)
}

func newWaitCommand(g *cli.Options) *cobra.Command {
	return &cobra.Command{
		Use: "wait CONTAINER [CONTAINER...]", Short: "Block until containers stop, then print their exit codes", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return eachArgQuiet(args, func(ref string) error {
				code, err := cli.Runtime(g.Root).Wait(ref)
				if err == nil {
					fmt.Fprintln(cmd.OutOrStdout(), code)
				}
				return err
			})
		},
	}
}

func newContainerCommand(g *cli.Options) *cobra.Command {
	cmd := &cobra.Command{Use: "container", Short: "Manage containers"}
	prune := &cobra.Command{
		Use: "prune", Short: "Remove all stopped containers", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			supervisor.Sweep(g.Root)
			removed, err := cli.Runtime(g.Root).Prune()
			if err != nil {
				return cli.WithStatus(1, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), "Deleted Containers:")
			for _, id := range removed {
				fmt.Fprintln(cmd.OutOrStdout(), id)
			}
			return nil
		},
	}
	forceFlag(prune)
	cmd.AddCommand(prune)
	// Docker's management commands: docker container ls is docker ps, and
	// the rest are the top-level commands under the group's name.
	ls := newPsCommand(g)
	ls.Use, ls.Aliases = "ls [OPTIONS]", []string{"ps", "list"}
	inspect := newInspectCommand(g)
	inspect.Use = "inspect [OPTIONS] CONTAINER [CONTAINER...]"
	inspect.Flags().Set("type", "container")
	cmd.AddCommand(ls, inspect, newRunCommand(g), newCreateCommand(g), newStartCommand(g), newStopCommand(g),
		newKillCommand(g), newRestartCommand(g), newLogsCommand(g), newAttachCommand(g), newExecCommand(g),
		newRenameCommand(g), newTopCommand(g), newPortCommand(g), newStatsCommand(g), newPauseCommand(g),
		newUnpauseCommand(g), newDiffCommand(g), newRmCommand(g), newExportCommand(g), newCpCommand(g), newWaitCommand(g))
	return cmd
}
