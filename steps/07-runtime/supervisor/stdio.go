// The container's standard streams, held by the supervisor: pipes when it
// has no terminal, else the master side of its terminal. Output goes to
// the log and to every attached client; input comes from clients.

package supervisor

import (
	"encoding/binary"
	"io"
	"os"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"

	namespaces "mini/steps/01-namespaces"
)

// stdio is one start's pipes. Without a terminal: stdin (with -i), stdout
// and stderr; the child's ends are closed here once it has them.
type stdio struct {
	inR, inW   *os.File
	outR, outW *os.File
	errR, errW *os.File
	console    *os.File // the terminal's master, with -t
}

func newStdio(tty, openStdin bool) (*stdio, error) {
	s := &stdio{}
	if tty {
		return s, nil // the child makes its terminal (step 01)
	}
	var err error
	if s.outR, s.outW, err = os.Pipe(); err == nil {
		s.errR, s.errW, err = os.Pipe()
	}
	if err == nil && openStdin {
		s.inR, s.inW, err = os.Pipe()
	}
	if err != nil {
		s.closeAll()
		return nil, err
	}
	return s, nil
}

// forChild is what the container's process gets. (A nil *os.File must not
// become a non-nil io.Reader: no stdin means /dev/null.)
func (s *stdio) forChild() namespaces.Stdio {
	st := namespaces.Stdio{}
	if s.outW != nil {
		st.Stdout, st.Stderr = s.outW, s.errW
	}
	if s.inR != nil {
		st.Stdin = s.inR
	}
	return st
}

func (s *stdio) closeChildEnds() { closeFiles(s.inR, s.outW, s.errW) }

func (s *stdio) closeAll() {
	closeFiles(s.inR, s.inW, s.outR, s.outW, s.errR, s.errW, s.console)
}

func closeFiles(files ...*os.File) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}

// input is where clients' input goes: the terminal with -it, the stdin
// pipe with -i, nowhere without -i.
func (s *stdio) input(console *os.File, open bool) *os.File {
	if console != nil {
		if open {
			return console
		}
		return nil
	}
	return s.inW
}

// outStream is one output stream: each chunk to the log and the clients.
type outStream struct {
	hub  *hub
	kind byte
	log  *lineLog
}

func (o *outStream) Write(p []byte) (int, error) {
	o.log.Write(p)
	o.hub.broadcast(o.kind, p)
	return len(p), nil
}

// copyOutput copies the container's output until it ends, and returns a
// channel closed then. Reading a terminal's master fails with EIO once
// every process holding the terminal has exited: that is its end.
func (s *Supervisor) copyOutput(io_ *stdio, console *os.File) <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	copyStream := func(r io.Reader, kind byte, name string) {
		out := &outStream{hub: s.hub, kind: kind, log: &lineLog{log: s.log, stream: name}}
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(out, r)
			out.log.flush()
		}()
	}
	if console != nil {
		io_.console = console
		copyStream(console, FrameStdout, "stdout")
	} else {
		copyStream(io_.outR, FrameStdout, "stdout")
		copyStream(io_.errR, FrameStderr, "stderr")
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}

// control acts on a frame from a client.
func (s *Supervisor) control(c *client, kind byte, payload []byte) {
	switch kind {
	case FrameStdin:
		s.mu.Lock()
		w := s.stdin
		s.mu.Unlock()
		if w != nil {
			w.Write(payload)
		}
	case FrameCloseStdin:
		s.inputEnded(c)
	case FrameResize:
		if len(payload) == 4 {
			s.resize(binary.BigEndian.Uint16(payload[0:2]), binary.BigEndian.Uint16(payload[2:4]))
		}
	case FrameSignal, FrameStop:
		if len(payload) != 4 {
			return
		}
		sig := syscall.Signal(binary.BigEndian.Uint32(payload))
		if kind == FrameStop {
			s.stop(sig)
		}
		s.signal(sig)
	}
}

// inputEnded closes the container's stdin when the client that started it
// has no more input and the job says stdin is used once (docker run -i):
// a command reading stdin then sees its end, as in a pipeline.
func (s *Supervisor) inputEnded(c *client) {
	if !c.first || !s.job.StdinOnce || s.job.Spec.Tty {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stdin != nil {
		s.stdin.Close()
		s.stdin = nil
	}
}

func (s *Supervisor) resize(rows, cols uint16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil && s.proc.Console != nil {
		unix.IoctlSetWinsize(int(s.proc.Console.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols})
	}
}

func (s *Supervisor) signal(sig syscall.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil {
		s.proc.Signal(sig)
	}
}

// stop marks the container stopped by hand: no restart policy applies any
// more, as in Docker. The signal is kept for a process not started yet
// (running sends it), so that a stop never falls between two moments.
func (s *Supervisor) stop(sig syscall.Signal) {
	s.mu.Lock()
	s.stopSignal = sig
	s.mu.Unlock()
	s.stopOnce.Do(func() { close(s.stopped) })
}
