// Logs: what a container wrote, from the log its supervisor keeps
// (supervisor/log.go): one entry a line, each with its stream (stdout or
// stderr) and its time.

package runtime

import (
	"io"
	"os"
	"time"

	"mini/steps/07-runtime/supervisor"
)

// LogsOptions choose the entries.
type LogsOptions struct {
	Follow       bool      // go on until the container stops
	Tail         int       // only the last Tail entries; -1 for all
	Since, Until time.Time // zero: no bound
}

// Logs gives emit the container's log entries, in order.
func (rt *Runtime) Logs(ref string, o LogsOptions, emit func(*supervisor.LogEntry)) error {
	c, err := rt.Find(ref)
	if err != nil {
		return err
	}
	f, err := os.Open(c.Dir.Log())
	if os.IsNotExist(err) {
		return nil // never started: nothing written yet
	}
	if err != nil {
		return err
	}
	defer f.Close()
	show := func(e *supervisor.LogEntry) {
		if !o.Since.IsZero() && e.Time.Before(o.Since) || !o.Until.IsZero() && !e.Time.Before(o.Until) {
			return
		}
		emit(e)
	}
	r := newJSONLines(f)
	if err := tail(r, o.Tail, show); err != nil {
		return err
	}
	if !o.Follow {
		return nil
	}
	return follow(r, c.Alive, show)
}

// entry reads the log's next entry.
func entry(r *jsonLines) (*supervisor.LogEntry, error) {
	var e supervisor.LogEntry
	if err := r.next(&e); err != nil {
		return nil, err
	}
	return &e, nil
}

// tail shows the whole log, or its last n entries.
func tail(r *jsonLines, n int, show func(*supervisor.LogEntry)) error {
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
			show(e)
			continue
		}
		if last = append(last, e); len(last) > n {
			last = last[1:]
		}
	}
	for _, e := range last {
		show(e)
	}
	return nil
}

// follow shows what is appended to the log until the container stops and
// everything it wrote has been shown.
func follow(r *jsonLines, alive func() bool, show func(*supervisor.LogEntry)) error {
	for {
		e, err := entry(r)
		if err == nil {
			show(e)
			continue
		}
		if err != io.EOF {
			return err
		}
		if !alive() {
			// One last read: lines written just before the end.
			for e, err := entry(r); err == nil; e, err = entry(r) {
				show(e)
			}
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}
