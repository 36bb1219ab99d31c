// The container's log: everything it writes, kept in Docker's json-file
// format, one JSON object per line of output:
//
//	{"log":"hello\n","stream":"stdout","time":"2026-11-27T15:04:05.123456789Z"}
//
// The supervisor writes it whether or not anyone is attached, so `mini
// logs` can show a detached container's output, with stdout and stderr
// told apart and each line's time.

package supervisor

import (
	"bytes"
	"encoding/json"
	"os"
	"sync"
	"time"

	"mini/steps/07-runtime/store"
)

// LogEntry is one line of the log.
type LogEntry struct {
	Log    string    `json:"log"`
	Stream string    `json:"stream"`
	Time   time.Time `json:"time"`
}

// maxLogLine is where a line without an end is cut, as Docker does.
const maxLogLine = 16 << 10

// logFile appends entries to log.json; both streams share it. With
// --log-opt max-size it is rotated as it grows (logrotate.go).
type logFile struct {
	mu   sync.Mutex
	f    *os.File
	path string
	size int64 // bytes in f
	opts LogOptions
}

func openLog(dir store.Dir, opts LogOptions) (*logFile, error) {
	l := &logFile{path: dir.Log(), opts: opts}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

// open opens the log for appending, and learns its size.
func (l *logFile) open() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	l.f, l.size = f, fi.Size()
	return nil
}

func (l *logFile) write(stream string, line []byte) {
	data, err := json.Marshal(LogEntry{Log: string(line), Stream: stream, Time: time.Now().UTC()})
	if err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.full() && l.rotate() != nil {
		return // no log to write to: the output still reaches attach clients
	}
	n, _ := l.f.Write(append(data, '\n'))
	l.size += int64(n)
}

func (l *logFile) close() { l.f.Close() }

// lineLog is an io.Writer that cuts one stream into the log's lines.
type lineLog struct {
	log     *logFile
	stream  string
	partial []byte
}

func (w *lineLog) Write(p []byte) (int, error) {
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.log.write(w.stream, w.partial[:i+1])
		w.partial = w.partial[i+1:]
	}
	if len(w.partial) >= maxLogLine {
		w.flush()
	}
	return len(p), nil
}

// flush writes what is left of a line that never ended.
func (w *lineLog) flush() {
	if len(w.partial) > 0 {
		w.log.write(w.stream, w.partial)
		w.partial = nil
	}
}
