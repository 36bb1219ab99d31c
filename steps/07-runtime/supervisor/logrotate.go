// Log rotation, as Docker's json-file driver does it with --log-opt
// max-size=10m --log-opt max-file=3: once the log holds max-size bytes,
// the next entry starts a new file. The full one becomes log.json.1 (the
// one before it log.json.2, and so on), and only max-file files are kept,
// the current one included; with max-file=1 the full one is dropped.
//
// A file is renamed or unlinked, never truncated: a mini logs -f that has
// it open reads it to its end, then finds the new one by its name (see
// steps/07-runtime/logs.go).

package supervisor

import (
	"fmt"
	"os"
)

// LogOptions are the log's --log-opt: rotate at MaxSize bytes (0: never),
// keeping MaxFile files in all.
type LogOptions struct {
	MaxSize int64 `json:"max_size,omitempty"`
	MaxFile int   `json:"max_file,omitempty"`
}

// full says whether the log must be rotated before the next entry. As in
// Docker, a file may pass max-size by the one entry that crossed it.
func (l *logFile) full() bool {
	return l.opts.MaxSize > 0 && l.size >= l.opts.MaxSize
}

// rotate shifts the rotated files up by one, dropping the oldest, and
// starts an empty log.
func (l *logFile) rotate() error {
	l.f.Close()
	keep := max(l.opts.MaxFile, 1) - 1 // rotated files kept
	os.Remove(RotatedLog(l.path, keep+1))
	for i := keep; i > 1; i-- {
		os.Rename(RotatedLog(l.path, i-1), RotatedLog(l.path, i))
	}
	var err error
	if keep == 0 {
		err = os.Remove(l.path)
	} else {
		err = os.Rename(l.path, RotatedLog(l.path, 1))
	}
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("rotate the log %s: %w", l.path, err)
	}
	return l.open()
}

// RotatedLog is the name of the log's n-th rotated file: log.json.1 is
// the newest.
func RotatedLog(path string, n int) string { return fmt.Sprintf("%s.%d", path, n) }
