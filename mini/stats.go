// mini stats: what running containers use, read from their cgroups, in
// Docker's columns. CPU % is CPU time used over wall time between two
// readings: 100% is one whole CPU.

package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

func newStatsCommand(g *cli.Options) *cobra.Command {
	var noStream bool
	cmd := &cobra.Command{
		Use:   "stats [OPTIONS] [CONTAINER...]",
		Short: "Display a live stream of containers' resource usage",
		RunE: func(cmd *cobra.Command, args []string) error {
			supervisor.Sweep(g.Root)
			return streamStats(cmd.OutOrStdout(), g.Root, args, noStream)
		},
	}
	cmd.Flags().BoolVar(&noStream, "no-stream", false, "print one reading and exit")
	return cmd
}

// streamStats prints a table every second, or once with noStream.
func streamStats(w io.Writer, root string, refs []string, noStream bool) error {
	clear := !noStream && cli.IsTerminal(w)
	prev, err := cli.Runtime(root).Stats(refs)
	if err != nil {
		return cli.WithStatus(1, err)
	}
	interval := time.Second
	if noStream {
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
		printStats(w, prev, cur)
		if noStream {
			return nil
		}
		prev = cur
	}
}

// printStats prints a table of readings, CPU from the change since prev.
func printStats(w io.Writer, prev, cur []runtime.Sample) {
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	fmt.Fprintln(tw, "CONTAINER ID\tCPU %\tMEM USAGE / LIMIT\tMEM %\tPIDS")
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
		fmt.Fprintf(tw, "%s\t%.2f%%\t%s / %s\t%.2f%%\t%d\n", c.ID[:12], cpu,
			humanBytes(c.Stats.MemoryUsage), humanBytes(c.Stats.MemoryLimit), mem, c.Stats.Pids)
	}
	tw.Flush()
}

// humanBytes writes a size in binary units, as Docker's stats do: 1.5MiB.
func humanBytes(n uint64) string {
	return cli.HumanSize(float64(n), 1024, []string{"B", "KiB", "MiB", "GiB", "TiB"}, "%.2f")
}
