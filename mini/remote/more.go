// The rest of a client's commands: events as they happen (or between two
// times), a container joining and leaving networks, the objects'
// inspect, and the prunes.

package remote

import (
	"fmt"
	"strings"
	"text/template"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/spf13/cobra"

	"mini/mini/cli"
)

func (r *remote) moreCommands() []*cobra.Command {
	containers := &cobra.Command{Use: "container", Short: "Manage containers"}
	containers.AddCommand(pruneCommand("Remove all stopped containers", func() ([]string, error) {
		rep, err := r.c.ContainersPrune(r.ctx, filters.NewArgs())
		return rep.ContainersDeleted, err
	}))
	return []*cobra.Command{r.eventsCommand(), containers}
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
			var out []any
			for _, n := range args {
				_, raw, err := r.c.NetworkInspectWithRaw(r.ctx, n, network.InspectOptions{})
				if err != nil {
					return cli.Failed(err)
				}
				var v any
				if err := jsonUnmarshal(raw, &v); err != nil {
					return cli.Failed(err)
				}
				out = append(out, v)
			}
			return cli.Failed(cli.PrintInspect(cmd.OutOrStdout(), out, format))
		}}
	inspect.Flags().StringVarP(&format, "format", "f", "", "format each network with a Go template")
	return []*cobra.Command{connect, disconnect, inspect}
}
