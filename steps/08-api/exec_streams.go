// The pipes of an exec without a terminal. Its stdout and stderr are two
// pipes whose ends the daemon reads and sends on the one connection, each
// read as a frame saying which stream it is (the format logs.go draws);
// its stdin is a pipe the daemon fills with what the client sends.

package api

import (
	"fmt"
	"io"
	"net"
	"os"
	"sync"

	"github.com/docker/docker/api/types/container"

	namespaces "mini/steps/01-namespaces"
	"mini/steps/07-runtime/supervisor"
)

// execStreams are the pipes of an exec without a terminal: its output
// goes to the client in frames, its input comes from the client.
type execStreams struct {
	child  namespaces.Stdio // the ends the process gets
	stdout *os.File         // the daemon's ends
	stderr *os.File
	stdin  *os.File
	copies sync.WaitGroup
}

// newExecStreams makes a pipe for each stream the client attached to:
// the others are /dev/null.
func newExecStreams(o container.ExecOptions) (*execStreams, error) {
	s := &execStreams{}
	var err error
	if o.AttachStdout && err == nil {
		s.stdout, s.child.Stdout, err = os.Pipe()
	}
	if o.AttachStderr && err == nil {
		s.stderr, s.child.Stderr, err = os.Pipe()
	}
	if o.AttachStdin && err == nil {
		s.child.Stdin, s.stdin, err = os.Pipe()
	}
	if err != nil {
		s.close()
		return nil, fmt.Errorf("exec pipes: %w", err)
	}
	return s, nil
}

// close closes every end still open.
func (s *execStreams) close() {
	for _, f := range []*os.File{s.child.Stdin, s.child.Stdout, s.child.Stderr, s.stdout, s.stderr, s.stdin} {
		if f != nil {
			f.Close()
		}
	}
}

// started closes the daemon's copies of the process's ends (so that the
// output ends when the process closes its own), sends the output to the
// client in frames, and feeds the process the client's input, whose end
// is the end of the process's.
func (s *execStreams) started(client net.Conn, stdin bool, in io.Reader) {
	for _, f := range []*os.File{s.child.Stdin, s.child.Stdout, s.child.Stderr} {
		if f != nil {
			f.Close()
		}
	}
	s.copyFrames(client, s.stdout, supervisor.FrameStdout)
	s.copyFrames(client, s.stderr, supervisor.FrameStderr)
	if s.stdin == nil {
		return
	}
	if !stdin {
		s.stdin.Close()
		return
	}
	go func() {
		io.Copy(s.stdin, in)
		s.stdin.Close()
	}()
}

// copyFrames sends what r reads as frames of one kind.
func (s *execStreams) copyFrames(client net.Conn, r *os.File, kind byte) {
	if r == nil {
		return
	}
	s.copies.Add(1)
	go func() {
		defer s.copies.Done()
		defer r.Close()
		buf := make([]byte, 32<<10)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				supervisor.WriteFrame(client, kind, buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
}

// done is closed once all output has been sent.
func (s *execStreams) done() chan struct{} {
	ch := make(chan struct{})
	go func() { s.copies.Wait(); close(ch) }()
	return ch
}
