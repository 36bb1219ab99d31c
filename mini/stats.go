// mini stats: what running containers use, read from their cgroups, in
// Docker's columns. CPU % is CPU time used over wall time between two
// readings: 100% is one whole CPU.

package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

type statsOptions struct {
	noStream, noTrunc bool
	format            string
}

func newStatsCommand(g *cli.Options) *cobra.Command {
	var o statsOptions
	cmd := &cobra.Command{
		Use:   "stats [OPTIONS] [CONTAINER...]",
		Short: "Display a live stream of containers' resource usage",
		RunE: func(cmd *cobra.Command, args []string) error {
			supervisor.Sweep(g.Root)
			return streamStats(cmd.OutOrStdout(), g.Root, args, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.noStream, "no-stream", false, "print one reading and exit")
	f.BoolVar(&o.noTrunc, "no-trunc", false, "do not truncate the IDs")
	f.StringVar(&o.format, "format", "", "format the readings: table, json, or a Go template such as {{.CPUPerc}}")
	return cmd
}

// streamStats prints a table every second, or once with --no-stream.
func streamStats(w io.Writer, root string, refs []string, o statsOptions) error {
	clear := !o.noStream && cli.IsTerminal(w)
	prev, err := cli.Runtime(root).Stats(refs)
	if err != nil {
		return cli.WithStatus(1, err)
	}
	interval := time.Second
	if o.noStream {
		interval = 500 * time.Millisecond
	}
	for {
		time.Sleep(interval)
		cur, err := cli.Runtime(root).Stats(refs)
		if err != nil {
			return cli.WithStatus(1, err)
		}
		if clear {
			fmt.Fprint(w, "\033[2J\033[H")
		}
		if err := cli.Print(w, cli.StatsListing, o.format, false, statsRows(root, prev, cur, o.noTrunc)); err != nil {
			return cli.Failed(err)
		}
		if o.noStream {
			return nil
		}
		prev = cur
	}
}

// statsRows are the readings, CPU from the change since prev.
func statsRows(root string, prev, cur []runtime.Sample, noTrunc bool) []cli.StatsRow {
	var rows []cli.StatsRow
	for _, c := range cur {
		cpu := 0.0
		for _, p := range prev {
			if p.ID == c.ID && c.At.After(p.At) {
				cpu = float64(c.Stats.CPUUsage-p.Stats.CPUUsage) / float64(c.At.Sub(p.At)) * 100
			}
		}
		mem := 0.0
		if c.Stats.MemoryLimit > 0 {
			mem = float64(c.Stats.MemoryUsage) / float64(c.Stats.MemoryLimit) * 100
		}
		id, name := c.ID, ""
		if !noTrunc {
			id = id[:12]
		}
		if ct, err := cli.Runtime(root).Find(c.ID); err == nil {
			name = ct.Name
		}
		rows = append(rows, cli.StatsRow{Container: id, ID: id, Name: name, CPUPerc: fmt.Sprintf("%.2f%%", cpu),
			MemUsage: cli.BinarySize(c.Stats.MemoryUsage) + " / " + cli.BinarySize(c.Stats.MemoryLimit),
			MemPerc:  fmt.Sprintf("%.2f%%", mem), PIDs: fmt.Sprint(c.Stats.Pids)})
	}
	return rows
}
