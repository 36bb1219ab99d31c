// The rest of a client's commands: events as they happen (or between two
// times), a container joining and leaving networks, the objects'
// inspect, and the prunes.

package remote

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/template"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/spf13/cobra"

	"mini/mini/cli"
	"mini/mini/imagecli"
)

func (r *remote) moreCommands() []*cobra.Command {
	containers := &cobra.Command{Use: "container", Short: "Manage containers"}
	containers.AddCommand(pruneCommand("Remove all stopped containers", func() ([]string, error) {
		rep, err := r.c.ContainersPrune(r.ctx, filters.NewArgs())
		return rep.ContainersDeleted, err
	}))
	var all bool
	imagePrune := pruneCommand("Remove images no container uses: those without a name, or all with -a", func() ([]string, error) {
		f := filters.NewArgs()
		if all {
			f.Add("dangling", "false")
		}
		rep, err := r.c.ImagesPrune(r.ctx, f)
		var ids []string
		for _, d := range rep.ImagesDeleted {
			ids = append(ids, d.Untagged+d.Deleted)
		}
		return ids, err
	})
	imagePrune.Flags().BoolVarP(&all, "all", "a", false, "remove every image no container uses")
	images := &cobra.Command{Use: "image", Short: "Manage images"}
	images.AddCommand(imagePrune)
	cmds := []*cobra.Command{r.eventsCommand(), containers, images, r.statsCommand()}
	// Logins are this machine's, kept in Docker's config here; the daemon
	// is given them with each pull and push.
	return append(cmds, imagecli.RegistryCommands()...)
}

// networkPrune is network prune: the networks no container is on.
func (r *remote) networkPrune() *cobra.Command {
	return pruneCommand("Remove the networks no container is on", func() ([]string, error) {
		rep, err := r.c.NetworksPrune(r.ctx, filters.NewArgs())
		return rep.NetworksDeleted, err
	})
}

// volumePrune is volume prune: the volumes no container uses.
func (r *remote) volumePrune() *cobra.Command {
	return pruneCommand("Remove the volumes no container uses", func() ([]string, error) {
		rep, err := r.c.VolumesPrune(r.ctx, filters.NewArgs())
		return rep.VolumesDeleted, err
	})
}

// pruneCommand is a prune: the daemon removes, we list what went.
func pruneCommand(short string, prune func() ([]string, error)) *cobra.Command {
	cmd := &cobra.Command{Use: "prune", Short: short, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			removed, err := prune()
			if err != nil {
				return cli.Failed(err)
			}
			for _, id := range removed {
				fmt.Fprintln(cmd.OutOrStdout(), id)
			}
			return nil
		}}
	cmd.Flags().BoolP("force", "f", false, "do not prompt for confirmation (mini never does)")
	return cmd
}

func (r *remote) eventsCommand() *cobra.Command {
	var since, until, format string
	var filterArgs []string
	cmd := &cobra.Command{Use: "events [OPTIONS]", Short: "Get real time events from the daemon", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, u, err := cli.ParseTimes(since, until)
			if err != nil {
				return cli.Failed(err)
			}
			var tmpl *template.Template
			if format != "" {
				if tmpl, err = cli.ParseFormat(format); err != nil {
					return cli.Failed(err)
				}
			}
			o := events.ListOptions{Filters: filters.NewArgs()}
			if !s.IsZero() { // seconds.nanoseconds, as docker sends them
				o.Since = fmt.Sprintf("%d.%09d", s.Unix(), s.Nanosecond())
			}
			if !u.IsZero() {
				o.Until = fmt.Sprintf("%d.%09d", u.Unix(), u.Nanosecond())
			}
			for _, kv := range filterArgs {
				k, v, _ := strings.Cut(kv, "=")
				o.Filters.Add(k, v)
			}
			msgs, errs := r.c.Events(r.ctx, o)
			for {
				select {
				case m := <-msgs:
					if err := cli.PrintEvent(cmd.OutOrStdout(), tmpl, m); err != nil {
						return cli.Failed(err)
					}
				case err := <-errs:
					if err == nil || err.Error() == "EOF" {
						return nil
					}
					return cli.Failed(err)
				}
			}
		}}
	f := cmd.Flags()
	f.StringVar(&since, "since", "", "show events since a time or a duration ago (10m)")
	f.StringVar(&until, "until", "", "stop at a time or a duration ago (default: follow until interrupted)")
	f.StringArrayVarP(&filterArgs, "filter", "f", nil, "filter (KEY=VALUE)")
	f.StringVar(&format, "format", "", "format each event: a Go template such as {{.Action}}")
	return cmd
}

// networkMoreCommands are network connect, disconnect and inspect.
func (r *remote) networkMoreCommands() []*cobra.Command {
	var ip string
	var format string
	connect := &cobra.Command{Use: "connect [OPTIONS] NETWORK CONTAINER", Short: "Connect a container to a network", Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			var ep *network.EndpointSettings
			if ip != "" {
				ep = &network.EndpointSettings{IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: ip}}
			}
			return cli.Failed(r.c.NetworkConnect(r.ctx, args[0], args[1], ep))
		}}
	connect.Flags().StringVar(&ip, "ip", "", "the container's address on that network")
	disconnect := &cobra.Command{Use: "disconnect NETWORK CONTAINER", Short: "Disconnect a container from a network", Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			return cli.Failed(r.c.NetworkDisconnect(r.ctx, args[0], args[1], false))
		}}
	inspect := &cobra.Command{Use: "inspect [OPTIONS] NETWORK [NETWORK...]", Short: "Display detailed information on networks", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return printRaw(cmd, args, format, func(n string) ([]byte, error) {
				_, raw, err := r.c.NetworkInspectWithRaw(r.ctx, n, network.InspectOptions{})
				return raw, err
			})
		}}
	inspect.Flags().StringVarP(&format, "format", "f", "", "format each network with a Go template")
	return []*cobra.Command{connect, disconnect, inspect, r.networkPrune()}
}

// statsCommand is stats as a client: one reading of each container the
// daemon runs (or of those named), each with the reading a second before
// it, from which the CPU share comes, as docker stats --no-stream shows.
func (r *remote) statsCommand() *cobra.Command {
	var noTrunc bool
	var format string
	cmd := &cobra.Command{Use: "stats [OPTIONS] [CONTAINER...]", Short: "Display containers' resource usage (one reading, as a client)",
		RunE: func(cmd *cobra.Command, refs []string) error {
			if len(refs) == 0 {
				list, err := r.c.ContainerList(r.ctx, container.ListOptions{})
				if err != nil {
					return cli.Failed(err)
				}
				for _, c := range list {
					refs = append(refs, c.ID)
				}
			}
			var rows []cli.StatsRow
			for _, ref := range refs {
				row, err := r.statsRow(ref, noTrunc)
				if err != nil {
					return cli.Failed(err)
				}
				rows = append(rows, row)
			}
			return cli.Failed(cli.Print(cmd.OutOrStdout(), cli.StatsListing, format, false, rows))
		}}
	cmd.Flags().Bool("no-stream", true, "print one reading and exit (a client always does)")
	cmd.Flags().BoolVar(&noTrunc, "no-trunc", false, "do not truncate the IDs")
	cmd.Flags().StringVar(&format, "format", "", "format the readings: table, json, or a Go template such as {{.CPUPerc}}")
	return cmd
}

// statsRow is one container's reading as stats shows it: CPU as docker's
// client works it out, the container's share of the machine's time times
// its CPUs.
func (r *remote) statsRow(ref string, noTrunc bool) (cli.StatsRow, error) {
	resp, err := r.c.ContainerStats(r.ctx, ref, false)
	if err != nil {
		return cli.StatsRow{}, err
	}
	defer resp.Body.Close()
	var st container.StatsResponse
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return cli.StatsRow{}, fmt.Errorf("the daemon's reading of %s: %w", ref, err)
	}
	cpu, mem := 0.0, 0.0
	if d, sys := float64(st.CPUStats.CPUUsage.TotalUsage-st.PreCPUStats.CPUUsage.TotalUsage),
		float64(st.CPUStats.SystemUsage-st.PreCPUStats.SystemUsage); d > 0 && sys > 0 {
		cpu = d / sys * float64(st.CPUStats.OnlineCPUs) * 100
	}
	if st.MemoryStats.Limit > 0 {
		mem = float64(st.MemoryStats.Usage) / float64(st.MemoryStats.Limit) * 100
	}
	id := short(st.ID, noTrunc)
	return cli.StatsRow{Container: id, ID: id, Name: strings.TrimPrefix(st.Name, "/"), CPUPerc: fmt.Sprintf("%.2f%%", cpu),
		MemUsage: cli.BinarySize(st.MemoryStats.Usage) + " / " + cli.BinarySize(st.MemoryStats.Limit),
		MemPerc:  fmt.Sprintf("%.2f%%", mem), PIDs: fmt.Sprint(st.PidsStats.Current)}, nil
}
