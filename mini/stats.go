// mini stats: what running containers use, read from their cgroups, in
// Docker's columns. CPU % is CPU time used over wall time between two
// readings: 100% is one whole CPU.

package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	cgroups "mini/steps/02-cgroups"
	"mini/steps/07-runtime/supervisor"
)

func newStatsCommand(g *globalOptions) *cobra.Command {
	var noStream bool
	cmd := &cobra.Command{
		Use:   "stats [OPTIONS] [CONTAINER...]",
		Short: "Display a live stream of containers' resource usage",
		RunE: func(cmd *cobra.Command, args []string) error {
			supervisor.Sweep(g.root)
			return streamStats(cmd.OutOrStdout(), g.root, args, noStream)
		},
	}
	cmd.Flags().BoolVar(&noStream, "no-stream", false, "print one reading and exit")
	return cmd
}

// sample is one container's reading at one moment.
type sample struct {
	id    string
	at    time.Time
	stats *cgroups.Stats
}

// streamStats prints a table every second, or once with noStream.
func streamStats(w io.Writer, root string, refs []string, noStream bool) error {
	clear := !noStream && isTerminal(w)
	prev, err := readSamples(root, refs)
	if err != nil {
		return withStatus(1, err)
	}
	interval := time.Second
	if noStream {
		interval = 500 * time.Millisecond
	}
	for {
		time.Sleep(interval)
		cur, err := readSamples(root, refs)
		if err != nil {
			return withStatus(1, err)
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

// readSamples reads every running container, or the ones named.
func readSamples(root string, refs []string) ([]sample, error) {
	var recs []supervisor.RunRecord
	if len(refs) == 0 {
		alive, _, err := supervisor.Running(root)
		if err != nil {
			return nil, err
		}
		recs = alive
	}
	for _, ref := range refs {
		_, rec, err := runtimeAt(root).Running(ref)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	var out []sample
	for _, rec := range recs {
		g, err := cgroups.Load(rec.CgroupParent, rec.ID)
		if err != nil {
			continue
		}
		if st, err := g.Stats(); err == nil {
			out = append(out, sample{id: rec.ID, at: time.Now(), stats: st})
		}
	}
	return out, nil
}

func printStats(w io.Writer, prev, cur []sample) {
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	fmt.Fprintln(tw, "CONTAINER ID\tCPU %\tMEM USAGE / LIMIT\tMEM %\tPIDS")
	for _, c := range cur {
		cpu := 0.0
		for _, p := range prev {
			if p.id == c.id && c.at.After(p.at) {
				cpu = float64(c.stats.CPUUsage-p.stats.CPUUsage) / float64(c.at.Sub(p.at)) * 100
			}
		}
		mem := 0.0
		if c.stats.MemoryLimit > 0 {
			mem = float64(c.stats.MemoryUsage) / float64(c.stats.MemoryLimit) * 100
		}
		fmt.Fprintf(tw, "%s\t%.2f%%\t%s / %s\t%.2f%%\t%d\n", c.id[:12], cpu,
			humanBytes(c.stats.MemoryUsage), humanBytes(c.stats.MemoryLimit), mem, c.stats.Pids)
	}
	tw.Flush()
}

// humanBytes writes a size in binary units, as Docker's stats do: 1.5MiB.
func humanBytes(n uint64) string {
	return humanSize(float64(n), 1024, []string{"B", "KiB", "MiB", "GiB", "TiB"}, "%.2f")
}

// humanSize divides n by base while it can and names the unit.
func humanSize(f, base float64, units []string, format string) string {
	i := 0
	for f >= base && i < len(units)-1 {
		f /= base
		i++
	}
	s := fmt.Sprintf(format, f)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + units[i]
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
