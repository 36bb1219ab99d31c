// POST /containers/{id}/attach: the container's input and output on the
// client's own connection. HTTP has a request and an answer; a terminal
// session goes both ways for as long as the container runs. So the
// server answers "101 UPGRADED" and hijacks the connection: from then on
// it is a plain stream, the container's output one way (framed as logs
// are, unless there is a terminal) and the client's keys the other.
//
// docker run attaches before it starts the container, so that not a byte
// of output is lost: a client attached to a container that is not
// running waits (pending) until its start, and the start hands the
// container's supervisor to it. The supervisor speaks frames already
// (steps/07-runtime/supervisor/proto.go, Docker's format): this end passes
// the output on, and wraps the client's bytes in stdin frames.

package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"

	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

// pendingAttach is a client attached to a container not started yet.
type pendingAttach struct {
	stdin  bool
	start  chan *runtime.Ready // given by the start request
	report chan error          // the start's outcome, back to it
}

// attachments are the pending clients, by container ID.
type attachments struct {
	mu      sync.Mutex
	pending map[string]*pendingAttach
}

func (a *attachments) put(id string, p *pendingAttach) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.pending == nil {
		a.pending = map[string]*pendingAttach{}
	}
	a.pending[id] = p
}

// waiting says whether a client waits for id's start.
func (a *attachments) waiting(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.pending[id] != nil
}

// take removes and returns the client waiting for id's start, if any.
func (a *attachments) take(id string) *pendingAttach {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.pending[id]
	delete(a.pending, id)
	return p
}

func (s *Server) attach(w http.ResponseWriter, r *http.Request) error {
	c, err := s.container(r.PathValue("id"))
	if err != nil {
		return err
	}
	stdin := boolParam(r, "stdin") && c.OpenStdin
	client, in, err := hijack(w)
	if err != nil {
		return err
	}
	defer client.Close()
	// A client of a container not running waits for its start. It is
	// put in the waiting list before the answer goes out: the client
	// sends the start as soon as it reads the answer.
	var p *pendingAttach
	if !c.Alive() {
		p = &pendingAttach{stdin: stdin, start: make(chan *runtime.Ready), report: make(chan error, 1)}
		s.attached.put(c.ID, p)
	}
	upgraded(client, "application/vnd.docker.raw-stream")
	if p == nil {
		_, sup, err := s.rt.Attach(c.ID)
		if err != nil {
			return nil // the answer has gone: nothing more to say
		}
		defer sup.Close()
		bridge(client, in, sup, c.Spec.Tty, stdin, nil, nil)
		return nil
	}
	ready := <-p.start
	defer ready.Leave()
	bridge(client, in, ready.Conn, c.Spec.Tty, stdin, p.report, func(code int) { s.exits.tell(c.ID, code) })
	return nil
}

// hijack takes the client's connection from the HTTP server: from now on
// it is a plain stream both ways, answered by hand. in reads the client's
// bytes, those the server had read ahead first.
func hijack(w http.ResponseWriter) (client net.Conn, in io.Reader, err error) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("this connection cannot be hijacked")
	}
	client, buf, err := hj.Hijack()
	if err != nil {
		return nil, nil, err
	}
	return client, io.MultiReader(io.LimitReader(buf, int64(buf.Reader.Buffered())), client), nil
}

// upgraded is the answer that turns a hijacked connection into a stream
// of contentType: the raw stream, or the multiplexed one of frames.
func upgraded(client net.Conn, contentType string) {
	fmt.Fprint(client, "HTTP/1.1 101 UPGRADED\r\nContent-Type: "+contentType+"\r\n"+
		"Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
}

// exitWatchers are the waits for containers' next exits, told by the
// attached starts' bridges.
type exitWatchers struct {
	mu sync.Mutex
	m  map[string][]chan int
}

func (e *exitWatchers) watch(id string) chan int {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		e.m = map[string][]chan int{}
	}
	ch := make(chan int, 1)
	e.m[id] = append(e.m[id], ch)
	return ch
}

func (e *exitWatchers) stop(id string, ch chan int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, c := range e.m[id] {
		if c == ch {
			e.m[id] = append(e.m[id][:i], e.m[id][i+1:]...)
		}
	}
}

func (e *exitWatchers) tell(id string, code int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ch := range e.m[id] {
		ch <- code
	}
	delete(e.m, id)
}

// startAttached starts a container a client waits on: the client gets the
// supervisor, and the start answers with how the start went.
func (s *Server) startAttached(p *pendingAttach, id string) error {
	ready, err := s.rt.Ready(id)
	if err != nil || ready == nil {
		s.attached.put(id, p) // not started: the client waits on
		return err
	}
	job := ready.Job
	job.StdinOnce = p.stdin // docker run -i: the input ends the container's stdin
	if err := ready.SendJob(&job); err != nil {
		return err
	}
	p.start <- ready
	return <-p.report
}

// bridge passes the supervisor's output to the client, and the client's
// input (in) to the supervisor, until the container exits. started, if
// not nil, hears how the start went, and exited the exit status.
func bridge(client net.Conn, in io.Reader, sup net.Conn, tty, stdin bool, started chan<- error, exited func(int)) {
	// The supervisor takes input once the container has its stdin: after
	// the start's report, for a container started here.
	input := func() {
		if stdin {
			go copyInput(sup, in)
			stdin = false
		}
	}
	if started == nil {
		input()
	}
	say := func(err error) {
		if started != nil {
			started <- err
			started = nil
		}
	}
	defer say(fmt.Errorf("the container's supervisor went away before the container started"))
	for {
		kind, payload, err := supervisor.ReadFrame(sup)
		if err != nil {
			return
		}
		switch kind {
		case supervisor.FrameStdout, supervisor.FrameStderr:
			var err error
			if tty {
				_, err = client.Write(payload)
			} else {
				err = supervisor.WriteFrame(client, kind, payload)
			}
			if err != nil && started == nil && exited == nil {
				return // the client has gone, and no one waits on the run's end
			}
		case supervisor.FrameStarted:
			var rep supervisor.Report
			if json.Unmarshal(payload, &rep) == nil && rep.Error != "" {
				say(fmt.Errorf("%s", rep.Error)) // and its exit report follows
				continue
			}
			say(nil)
			input()
		case supervisor.FrameExit:
			var rep supervisor.Report
			if json.Unmarshal(payload, &rep) == nil && rep.Error != "" {
				say(fmt.Errorf("%s", rep.Error))
			}
			if exited != nil {
				exited(rep.ExitCode)
			}
			return
		}
	}
}

// copyInput sends the client's bytes as stdin frames, and its end as the
// end of the container's input.
func copyInput(sup net.Conn, in io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := in.Read(buf)
		if n > 0 && supervisor.WriteFrame(sup, supervisor.FrameStdin, buf[:n]) != nil {
			return
		}
		if err != nil {
			supervisor.WriteFrame(sup, supervisor.FrameCloseStdin, nil)
			return
		}
	}
}
