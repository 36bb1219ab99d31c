// An attached mini: the container's output comes from its supervisor as
// frames (steps/07-runtime/supervisor/proto.go) and goes to mini's stdout and stderr;
// mini's stdin, terminal size and signals go the other way. run without
// -d, start -a and attach are all this.

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"

	"mini/mini/cli"
	"mini/steps/07-runtime/supervisor"
)

// Detach keys: Ctrl-P then Ctrl-Q leave the container running, as in
// Docker.
const detachKey1, detachKey2 = 0x10, 0x11

// streamSet says which of the container's streams a session carries.
type streamSet struct{ stdin, stdout, stderr bool }

// parseStreams reads -a: STDIN, STDOUT, STDERR in any case, repeated. The
// default is stdout and stderr, and stdin with -i.
func parseStreams(names []string, interactive bool) (streamSet, error) {
	if len(names) == 0 {
		return streamSet{stdin: interactive, stdout: true, stderr: true}, nil
	}
	var set streamSet
	for _, n := range names {
		switch strings.ToLower(n) {
		case "stdin":
			set.stdin = true
		case "stdout":
			set.stdout = true
		case "stderr":
			set.stderr = true
		default:
			return set, fmt.Errorf("invalid -a %q: want STDIN, STDOUT or STDERR", n)
		}
	}
	return set, nil
}

// sessionOptions say what an attached mini passes on.
type sessionOptions struct {
	streams streamSet
	tty     bool // the container has a terminal: raw mode, sizes, detach keys
	proxy   *signalProxy
}

// session is one attached connection.
type session struct {
	conn     net.Conn
	wmu      sync.Mutex
	opts     sessionOptions
	detached chan struct{}
	once     sync.Once
}

func (s *session) send(kind byte, payload []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return supervisor.WriteFrame(s.conn, kind, payload)
}

// errDetached ends a session by the detach keys.
var errDetached = errors.New("detached")

// attachSession streams until the container is gone (its exit report), the
// user detaches (errDetached).
// inputNow starts the input at once: the container already runs.
func attachSession(conn net.Conn, opts sessionOptions, inputNow bool) (*supervisor.Report, error) {
	s := &session{conn: conn, opts: opts, detached: make(chan struct{})}
	var t cli.Terminal
	if opts.tty && opts.streams.stdin {
		t.MakeRaw()
	}
	defer t.Restore()
	if opts.tty {
		t.FollowSize(func(rows, cols uint16) { s.send(supervisor.FrameResize, supervisor.ResizePayload(rows, cols)) })
	}
	if inputNow {
		s.startInput()
	}
	type result struct {
		rep *supervisor.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := s.readFrames()
		done <- result{rep, err}
	}()
	select {
	case r := <-done:
		return r.rep, r.err
	case <-s.detached:
		return nil, errDetached
	}
}

// startInput begins passing on stdin and signals: only once the container
// runs, for what the supervisor gets before that has nowhere to go.
func (s *session) startInput() {
	if s.opts.proxy != nil {
		s.opts.proxy.forwardTo(func(sig syscall.Signal) {
			s.send(supervisor.FrameSignal, supervisor.SignalPayload(int(sig)))
		})
	}
	if s.opts.streams.stdin {
		go s.copyInput()
	}
}

// copyInput sends mini's stdin, then says it ended.
func (s *session) copyInput() {
	buf := make([]byte, 32<<10)
	prev := byte(0)
	for {
		n, err := os.Stdin.Read(buf)
		if n > 0 {
			data := buf[:n]
			if s.opts.tty {
				if i := detachAt(prev, data); i >= 0 {
					s.send(supervisor.FrameStdin, data[:i])
					s.once.Do(func() { close(s.detached) })
					return
				}
				prev = data[n-1]
			}
			if s.send(supervisor.FrameStdin, data) != nil {
				return
			}
		}
		if err != nil {
			s.send(supervisor.FrameCloseStdin, nil)
			return
		}
	}
}

// detachAt finds Ctrl-P Ctrl-Q in data (prev is the byte before it), and
// returns where the keys start, or -1.
func detachAt(prev byte, data []byte) int {
	for i, b := range data {
		if b != detachKey2 {
			continue
		}
		if i > 0 && data[i-1] == detachKey1 {
			return i - 1
		}
		if i == 0 && prev == detachKey1 {
			return 0
		}
	}
	return -1
}

// readFrames writes the container's output until its exit report.
func (s *session) readFrames() (*supervisor.Report, error) {
	for {
		kind, payload, err := supervisor.ReadFrame(s.conn)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("the container's supervisor went away before the container ended")
			}
			return nil, err
		}
		switch kind {
		case supervisor.FrameStdout:
			if s.opts.streams.stdout {
				os.Stdout.Write(payload)
			}
		case supervisor.FrameStderr:
			if s.opts.streams.stderr {
				os.Stderr.Write(payload)
			}
		case supervisor.FrameStarted, supervisor.FrameExit:
			var rep supervisor.Report
			if err := json.Unmarshal(payload, &rep); err != nil {
				return nil, err
			}
			if kind == supervisor.FrameExit {
				return &rep, nil
			}
			if rep.Error == "" {
				s.startInput()
			}
		}
	}
}

// exitOf turns an exit report into mini's own exit: the container's
// status, or the start's error with Docker's 125, 126 or 127.
func exitOf(rep *supervisor.Report, memory string) error {
	if rep.Error != "" {
		return cli.WithStatus(rep.ExitCode, errors.New(rep.Error))
	}
	if rep.OOMKilled {
		fmt.Fprintf(os.Stderr, "mini: the container ran out of memory: the kernel's OOM killer killed a process (memory limit %s)\n", limitOr(memory))
	}
	return cli.WithStatus(rep.ExitCode, nil)
}

func limitOr(limit string) string {
	if limit == "" {
		return "none"
	}
	return limit
}
