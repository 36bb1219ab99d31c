// Logs: what a container wrote, from the log its supervisor keeps
// (supervisor/log.go): one entry a line, each with its stream (stdout or
// stderr) and its time. A rotated log (--log-opt max-size) is read from
// its oldest file to the current one, and followed across rotations.

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
	// Done, if not nil, ends a follow when it is closed: the reader went
	// away (a daemon's client hung up).
	Done <-chan struct{}
}

// Logs gives emit the container's log entries, in order.
func (rt *Runtime) Logs(ref string, o LogsOptions, emit func(*supervisor.LogEntry)) error {
	c, err := rt.Find(ref)
	if err != nil {
		return err
	}
	f, err := openLogFiles(c.Dir.Log())
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
	alive := c.Alive
	if o.Done != nil {
		alive = func() bool {
			select {
			case <-o.Done:
				return false
			default:
				return c.Alive()
			}
		}
	}
	return follow(r, alive, show)
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

// logFiles reads a log's rotated files, oldest first, then the current
// one, which it goes on reading as it grows; when the supervisor rotates
// it, the file open is read to its end and the new one opened by name.
type logFiles struct {
	path    string
	rotated []*os.File
	cur     *os.File
}

func openLogFiles(path string) (*logFiles, error) {
	l := &logFiles{path: path}
	for n := 1; ; n++ { // log.json.1 is the newest
		f, err := os.Open(supervisor.RotatedLog(path, n))
		if err != nil {
			break
		}
		l.rotated = append([]*os.File{f}, l.rotated...)
	}
	cur, err := os.Open(path)
	if err != nil {
		l.Close()
		return nil, err
	}
	l.cur = cur
	return l, nil
}

func (l *logFiles) Read(p []byte) (int, error) {
	for len(l.rotated) > 0 {
		n, err := l.rotated[0].Read(p)
		if err == io.EOF {
			l.rotated[0].Close()
			l.rotated = l.rotated[1:]
		}
		if n > 0 || err != io.EOF {
			return n, err
		}
	}
	n, err := l.cur.Read(p)
	if n > 0 || err != io.EOF || !l.replaced() {
		return n, err
	}
	// Rotated: what was written before the rename is the old file's end.
	if n, err = l.cur.Read(p); n > 0 || err != io.EOF {
		return n, err
	}
	next, err := os.Open(l.path)
	if err != nil {
		return 0, io.EOF // between the rename and the new file: later
	}
	l.cur.Close()
	l.cur = next
	return l.cur.Read(p)
}

// replaced says whether the log's name now names another file.
func (l *logFiles) replaced() bool {
	open, err1 := l.cur.Stat()
	named, err2 := os.Stat(l.path)
	return err1 == nil && err2 == nil && !os.SameFile(open, named)
}

func (l *logFiles) Close() error {
	for _, f := range l.rotated {
		f.Close()
	}
	if l.cur != nil {
		l.cur.Close()
	}
	return nil
}
