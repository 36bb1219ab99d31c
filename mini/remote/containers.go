// The containers' commands as a client: each one request (or a few), the
// answer printed as the daemonless command prints it.

package remote

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/spf13/cobra"

	"mini/mini/cli"
)

func (r *remote) containerCommands() []*cobra.Command {
	simple := func(use, short string, op func(ref string) error) *cobra.Command {
		return &cobra.Command{Use: use + " CONTAINER [CONTAINER...]", Short: short, Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error { return each(cmd, args, op) }}
	}
	var timeout int
	stop := simple("stop [OPTIONS]", "Stop one or more running containers", func(ref string) error {
		return r.c.ContainerStop(r.ctx, ref, container.StopOptions{Timeout: &timeout})
	})
	stop.Flags().IntVarP(&timeout, "time", "t", 10, "seconds to wait before killing it")
	restart := simple("restart [OPTIONS]", "Restart one or more containers", func(ref string) error {
		return r.c.ContainerRestart(r.ctx, ref, container.StopOptions{Timeout: &timeout})
	})
	restart.Flags().IntVarP(&timeout, "time", "t", 10, "seconds to wait before killing it")
	var signal string
	kill := simple("kill [OPTIONS]", "Kill one or more running containers", func(ref string) error {
		return r.c.ContainerKill(r.ctx, ref, signal)
	})
	kill.Flags().StringVarP(&signal, "signal", "s", "KILL", "the signal to send")
	var force, volumes bool
	rm := simple("rm [OPTIONS]", "Remove one or more containers", func(ref string) error {
		return r.c.ContainerRemove(r.ctx, ref, container.RemoveOptions{Force: force, RemoveVolumes: volumes})
	})
	rm.Flags().BoolVarP(&force, "force", "f", false, "kill it first if it runs")
	rm.Flags().BoolVarP(&volumes, "volumes", "v", false, "remove its anonymous volumes")
	return []*cobra.Command{stop, restart, kill, rm,
		simple("start", "Start one or more stopped containers", func(ref string) error {
			return r.c.ContainerStart(r.ctx, ref, container.StartOptions{})
		}),
		simple("pause", "Pause all processes within one or more containers", func(ref string) error {
			return r.c.ContainerPause(r.ctx, ref)
		}),
		simple("unpause", "Unpause all processes within one or more containers", func(ref string) error {
			return r.c.ContainerUnpause(r.ctx, ref)
		}),
		{Use: "rename CONTAINER NEW_NAME", Short: "Rename a container", Args: cobra.ExactArgs(2),
			RunE: func(_ *cobra.Command, args []string) error {
				return cli.Failed(r.c.ContainerRename(r.ctx, args[0], args[1]))
			}},
		r.waitCommand(), r.psCommand(), r.logsCommand(), r.topCommand(), r.inspectCommand(),
		r.attachCommand(), r.portCommand(),
	}
}

func (r *remote) waitCommand() *cobra.Command {
	return &cobra.Command{Use: "wait CONTAINER [CONTAINER...]", Short: "Wait for containers to stop, then print their exit codes",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, ref := range args {
				code, err := r.wait(ref, container.WaitConditionNotRunning)
				if err != nil {
					return cli.Failed(err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), code)
			}
			return nil
		}}
}

// wait waits for the container to meet cond, and returns its exit status.
func (r *remote) wait(ref string, cond container.WaitCondition) (int, error) {
	answer, errs := r.c.ContainerWait(r.ctx, ref, cond)
	select {
	case w := <-answer:
		if w.Error != nil {
			return 0, fmt.Errorf("%s", w.Error.Message)
		}
		return int(w.StatusCode), nil
	case err := <-errs:
		return 0, err
	}
}

func (r *remote) psCommand() *cobra.Command {
	var all, quiet, noTrunc bool
	var last int
	var filterArgs []string
	var format string
	cmd := &cobra.Command{Use: "ps [OPTIONS]", Short: "List containers", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := filters.NewArgs()
			for _, kv := range filterArgs {
				k, v, _ := strings.Cut(kv, "=")
				f.Add(k, v)
			}
			list, err := r.c.ContainerList(r.ctx, container.ListOptions{All: all, Limit: last, Filters: f})
			if err != nil {
				return cli.Failed(err)
			}
			var rows []cli.PsRow
			for _, c := range list {
				rows = append(rows, psRow(c, noTrunc))
			}
			return cli.Failed(cli.Print(cmd.OutOrStdout(), cli.PsListing, format, quiet, rows))
		}}
	f := cmd.Flags()
	f.BoolVarP(&all, "all", "a", false, "show all containers (default shows just running)")
	f.BoolVarP(&quiet, "quiet", "q", false, "only display container IDs")
	f.IntVarP(&last, "last", "n", -1, "show n last created containers")
	f.BoolVar(&noTrunc, "no-trunc", false, "do not truncate output")
	f.StringArrayVarP(&filterArgs, "filter", "f", nil, "filter (KEY=VALUE)")
	f.StringVar(&format, "format", "", "format the list: table, json, or a Go template such as {{.Names}}")
	return cmd
}

// psRow is a listed container as ps shows it.
func psRow(c container.Summary, noTrunc bool) cli.PsRow {
	command := c.Command
	if r := []rune(command); !noTrunc && len(r) > 20 {
		command = string(r[:19]) + "…"
	}
	names := make([]string, len(c.Names))
	for i, n := range c.Names {
		names[i] = strings.TrimPrefix(n, "/")
	}
	var labels, ports []string
	for k, v := range c.Labels {
		labels = append(labels, k+"="+v)
	}
	for _, p := range c.Ports {
		if p.PublicPort != 0 {
			ports = append(ports, fmt.Sprintf("%s:%d->%d/%s", p.IP, p.PublicPort, p.PrivatePort, p.Type))
		} else {
			ports = append(ports, fmt.Sprintf("%d/%s", p.PrivatePort, p.Type))
		}
	}
	var networks []string
	if c.NetworkSettings != nil {
		for n := range c.NetworkSettings.Networks {
			networks = append(networks, n)
		}
	}
	sort.Strings(labels)
	sort.Strings(ports)
	sort.Strings(networks)
	created := time.Unix(c.Created, 0)
	return cli.PsRow{ID: short(c.ID, noTrunc), Image: c.Image, Command: strconv.Quote(command), CreatedAt: cli.LocalTime(created),
		RunningFor: cli.Ago(created), Status: c.Status, State: string(c.State), Ports: strings.Join(ports, ", "),
		Names: strings.Join(names, ","), Labels: strings.Join(labels, ","), Networks: strings.Join(networks, ","),
		Size: "0B", LabelMap: c.Labels}
}

func (r *remote) logsCommand() *cobra.Command {
	var o container.LogsOptions
	cmd := &cobra.Command{Use: "logs [OPTIONS] CONTAINER", Short: "Fetch the logs of a container", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := r.c.ContainerInspect(r.ctx, args[0])
			if err != nil {
				return cli.Failed(err)
			}
			o.ShowStdout, o.ShowStderr = true, true
			body, err := r.c.ContainerLogs(r.ctx, args[0], o)
			if err != nil {
				return cli.Failed(err)
			}
			defer body.Close()
			return cli.Failed(copyOutput(body, in.Config != nil && in.Config.Tty))
		}}
	f := cmd.Flags()
	f.BoolVarP(&o.Follow, "follow", "f", false, "follow log output")
	f.StringVarP(&o.Tail, "tail", "n", "all", "number of lines to show from the end")
	f.BoolVarP(&o.Timestamps, "timestamps", "t", false, "show timestamps")
	f.StringVar(&o.Since, "since", "", "show logs since a time or a duration (42m)")
	f.StringVar(&o.Until, "until", "", "show logs before a time or a duration")
	return cmd
}

// copyOutput writes a container's output to ours: raw with a terminal,
// else taken out of its frames to stdout and stderr.
func copyOutput(r io.Reader, tty bool) error {
	if tty {
		_, err := io.Copy(os.Stdout, r)
		return err
	}
	_, err := stdcopy.StdCopy(os.Stdout, os.Stderr, r)
	return err
}

func (r *remote) topCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "top CONTAINER [ps OPTIONS]", Short: "Display the running processes of a container",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			top, err := r.c.ContainerTop(r.ctx, args[0], args[1:])
			if err != nil {
				return cli.Failed(err)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 3, ' ', 0)
			fmt.Fprintln(tw, strings.Join(top.Titles, "\t"))
			for _, p := range top.Processes {
				fmt.Fprintln(tw, strings.Join(p, "\t"))
			}
			return tw.Flush()
		}}
	cmd.Flags().SetInterspersed(false)
	return cmd
}

// inspectCommand is docker inspect: a container by that name, else an
// image, each as the daemon's JSON, or through a template.
func (r *remote) inspectCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{Use: "inspect [OPTIONS] NAME|ID [NAME|ID...]", Short: "Return low-level information on containers and images",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return printRaw(cmd, args, format, func(ref string) ([]byte, error) {
				_, raw, err := r.c.ContainerInspectWithRaw(r.ctx, ref, false)
				if err != nil {
					_, raw, err = r.c.ImageInspectWithRaw(r.ctx, ref)
				}
				if err != nil {
					return nil, fmt.Errorf("no such object: %s", ref)
				}
				return raw, nil
			})
		}}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format each object with a Go template, such as {{.State.Pid}}")
	return cmd
}

// attachCommand is attach as a client: the container's output here, and
// our input there; its exit status becomes ours when it ends.
func (r *remote) attachCommand() *cobra.Command {
	var noStdin bool
	cmd := &cobra.Command{Use: "attach [OPTIONS] CONTAINER", Short: "Attach to a running container's input and output", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := r.c.ContainerInspect(r.ctx, args[0])
			if err != nil {
				return cli.Failed(err)
			}
			tty, stdin := in.Config.Tty, in.Config.OpenStdin && !noStdin
			hijacked, err := r.c.ContainerAttach(r.ctx, args[0], container.AttachOptions{Stream: true, Stdin: stdin, Stdout: true, Stderr: true})
			if err != nil {
				return cli.Failed(err)
			}
			defer hijacked.Close()
			var t cli.Terminal
			if tty && stdin {
				t.MakeRaw()
			}
			defer t.Restore()
			if stdin {
				go func() {
					io.Copy(hijacked.Conn, os.Stdin)
					hijacked.CloseWrite()
				}()
			}
			copyOutput(hijacked.Reader, tty)
			t.Restore()
			code, err := r.wait(args[0], container.WaitConditionNotRunning)
			if err != nil {
				return cli.Failed(err)
			}
			return cli.WithStatus(code, nil)
		}}
	cmd.Flags().BoolVar(&noStdin, "no-stdin", false, "do not attach stdin")
	return cmd
}

// portCommand is port: the container's published ports, from its inspect.
func (r *remote) portCommand() *cobra.Command {
	return &cobra.Command{Use: "port CONTAINER", Short: "List a container's port mappings", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := r.c.ContainerInspect(r.ctx, args[0])
			if err != nil {
				return cli.Failed(err)
			}
			var lines []string
			if in.NetworkSettings != nil {
				for p, bindings := range in.NetworkSettings.Ports {
					for _, b := range bindings {
						lines = append(lines, fmt.Sprintf("%s -> %s:%s", p, b.HostIP, b.HostPort))
					}
				}
			}
			sort.Strings(lines)
			for _, l := range lines {
				fmt.Fprintln(cmd.OutOrStdout(), l)
			}
			return nil
		}}
}
