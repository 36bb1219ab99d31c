// mini logs: what a container wrote, from the log its supervisor keeps
// (steps/07-runtime/supervisor/log.go). stdout goes to mini's stdout and stderr to its
// stderr, so the two stay apart; -f follows the log until the container
// stops.

package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"mini/steps/07-runtime/supervisor"
)

type logsOptions struct {
	follow, timestamps bool
	tail, since, until string
}

func newLogsCommand(g *globalOptions) *cobra.Command {
	var o logsOptions
	cmd := &cobra.Command{
		Use: "logs [OPTIONS] CONTAINER", Short: "Fetch the logs of a container", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return failed(showLogs(cmd, g.root, args[0], o))
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
	c, err := runtimeAt(root).Find(ref)
	if err != nil {
		return err
	}
	since, until, err := parseTimes(o.since, o.until)
	if err != nil {
		return err
	}
	tail := -1
	if o.tail != "all" {
		if tail, err = strconv.Atoi(o.tail); err != nil || tail < 0 {
			return fmt.Errorf("invalid --tail %q: want a number or all", o.tail)
		}
	}
	f, err := os.Open(c.Dir.Log())
	if os.IsNotExist(err) {
		return nil // never started: nothing written yet
	}
	if err != nil {
		return err
	}
	defer f.Close()
	w := logWriter{out: cmd.OutOrStdout(), err: cmd.ErrOrStderr(), timestamps: o.timestamps, since: since, until: until}
	r := newJSONLines(f)
	if err := w.printTail(r, tail); err != nil {
		return err
	}
	if !o.follow {
		return nil
	}
	return w.follow(r, func() bool { return c.Alive() })
}

// logWriter prints log entries as Docker does.
type logWriter struct {
	out, err     io.Writer
	timestamps   bool
	since, until time.Time
}

func (w *logWriter) print(e *supervisor.LogEntry) {
	if !w.since.IsZero() && e.Time.Before(w.since) || !w.until.IsZero() && !e.Time.Before(w.until) {
		return
	}
	out := w.out
	if e.Stream == "stderr" {
		out = w.err
	}
	if w.timestamps {
		fmt.Fprintf(out, "%s %s", e.Time.Format(time.RFC3339Nano), e.Log)
	} else {
		io.WriteString(out, e.Log)
	}
}

// entry reads the log's next entry.
func entry(r *jsonLines) (*supervisor.LogEntry, error) {
	var e supervisor.LogEntry
	if err := r.next(&e); err != nil {
		return nil, err
	}
	return &e, nil
}

// printTail prints the whole log, or its last n entries.
func (w *logWriter) printTail(r *jsonLines, n int) error {
	var last []*supervisor.LogEntry
	for {
		e, err := entry(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if n < 0 {
			w.print(e)
			continue
		}
		if last = append(last, e); len(last) > n {
			last = last[1:]
		}
	}
	for _, e := range last {
		w.print(e)
	}
	return nil
}

// follow prints what is appended to the log until the container stops
// and everything it wrote has been printed.
func (w *logWriter) follow(r *jsonLines, alive func() bool) error {
	for {
		e, err := entry(r)
		if err == nil {
			w.print(e)
			continue
		}
		if err != io.EOF {
			return err
		}
		if !alive() {
			// One last read: lines written just before the end.
			for e, err := entry(r); err == nil; e, err = entry(r) {
				w.print(e)
			}
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// jsonLines reads a file of JSON objects, one a line, as it grows (the
// container's log, the events log): a line still being written when the
// reader reaches the end is kept until the rest arrives.
type jsonLines struct {
	r       *bufio.Reader
	partial []byte
}

func newJSONLines(r io.Reader) *jsonLines { return &jsonLines{r: bufio.NewReader(r)} }

// next decodes the next whole line into v: io.EOF when there is none yet.
func (l *jsonLines) next(v any) error {
	line, err := l.r.ReadBytes('\n')
	l.partial = append(l.partial, line...)
	if err != nil {
		return err
	}
	data := l.partial
	l.partial = nil
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w %q: %v", errBadLine, strings.TrimSpace(string(data)), err)
	}
	return nil
}

// errBadLine is a whole line that is not the JSON expected.
var errBadLine = errors.New("unreadable line")

// parseTimes reads --since and --until.
func parseTimes(since, until string) (time.Time, time.Time, error) {
	s, err := parseTime(since)
	if err != nil {
		return s, s, err
	}
	u, err := parseTime(until)
	return s, u, err
}

// parseTime reads --since and --until: RFC 3339, a Unix time, or a
// duration before now.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return time.Now().Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Unix(0, int64(secs*1e9)), nil
	}
	return time.Time{}, fmt.Errorf("invalid time %q: want 2006-01-02T15:04:05Z, a Unix time, or a duration such as 10m", s)
}
