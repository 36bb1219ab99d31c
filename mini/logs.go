// mini logs: what a container wrote (the runtime's Logs). stdout goes to
// mini's stdout and stderr to its stderr, so the two stay apart; -f
// follows the log until the container stops.

package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

type logsOptions struct {
	follow, timestamps bool
	tail, since, until string
}

func newLogsCommand(g *cli.Options) *cobra.Command {
	var o logsOptions
	cmd := &cobra.Command{
		Use: "logs [OPTIONS] CONTAINER", Short: "Fetch the logs of a container", Args: cobra.ExactArgs(1),
		Example: `  mini logs -f web              # follow until it stops (Ctrl-C stops following)
  mini logs --tail 20 -t web    # the last 20 lines, with their times
  mini logs --since 10m web`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Failed(showLogs(cmd, g.Root, args[0], o))
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&o.follow, "follow", "f", false, "follow the log output")
	f.BoolVarP(&o.timestamps, "timestamps", "t", false, "show timestamps")
	f.StringVarP(&o.tail, "tail", "n", "all", "number of lines to show from the end of the logs")
	f.StringVar(&o.since, "since", "", "show logs since a time (2026-01-02T15:04:05Z) or a duration ago (10m)")
	f.StringVar(&o.until, "until", "", "show logs before a time or a duration ago")
	return cmd
}

func showLogs(cmd *cobra.Command, root, ref string, o logsOptions) error {
	since, until, err := cli.ParseTimes(o.since, o.until)
	if err != nil {
		return err
	}
	tail := -1
	if o.tail != "all" {
		if tail, err = strconv.Atoi(o.tail); err != nil || tail < 0 {
			return fmt.Errorf("invalid --tail %q: want a number or all", o.tail)
		}
	}
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	lo := runtime.LogsOptions{Follow: o.follow, Tail: tail, Since: since, Until: until}
	return cli.Runtime(root).Logs(ref, lo, func(e *supervisor.LogEntry) {
		w := out
		if e.Stream == "stderr" {
			w = errOut
		}
		if o.timestamps {
			fmt.Fprintf(w, "%s %s", e.Time.Format(time.RFC3339Nano), e.Log)
		} else {
			io.WriteString(w, e.Log)
		}
	})
}
