// docker exec over the API, in three requests. POST
// /containers/{id}/exec records what to run and answers an exec ID; POST
// /exec/{id}/start runs it, on a hijacked connection as attach does (or
// detached); GET /exec/{id}/json tells whether it still runs and how it
// exited, which is how the client learns the exit status once the stream
// has ended. The process is the daemon's child, started by step 07's
// Exec as the mini command starts it.

package api

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"golang.org/x/sys/unix"

	namespaces "mini/steps/01-namespaces"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

func (s *Server) routeExec() {
	s.mux.HandleFunc("POST /containers/{id}/exec", handle(s.createExec))
	s.mux.HandleFunc("POST /exec/{id}/start", handle(s.startExec))
	s.mux.HandleFunc("POST /exec/{id}/resize", handle(s.resizeExec))
	s.mux.HandleFunc("GET /exec/{id}/json", handle(s.inspectExec))
}

// execInstance is one exec: what to run, then how it runs and ended.
type execInstance struct {
	id, container string
	opts          container.ExecOptions

	mu       sync.Mutex
	started  bool
	running  bool
	pid      int
	exitCode *int
	finished time.Time
	console  *os.File // the terminal's master, with Tty
}

// execTable holds the execs by ID. A finished one is kept a while for
// its inspect, then dropped when a new one is made.
type execTable struct {
	mu sync.Mutex
	m  map[string]*execInstance
}

const keepFinishedExec = 5 * time.Minute

func (t *execTable) add(e *execInstance) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]*execInstance{}
	}
	for id, old := range t.m {
		old.mu.Lock()
		if old.exitCode != nil && time.Since(old.finished) > keepFinishedExec {
			delete(t.m, id)
		}
		old.mu.Unlock()
	}
	t.m[e.id] = e
}

func (t *execTable) get(id string) (*execInstance, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.m[id]; e != nil {
		return e, nil
	}
	return nil, notFoundError("No such exec instance: %s", id)
}

func (s *Server) createExec(w http.ResponseWriter, r *http.Request) error {
	var o container.ExecOptions
	if err := decodeJSON(w, r, &o, "exec request", false); err != nil {
		return err
	}
	if len(o.Cmd) == 0 {
		return badRequest("No exec command specified")
	}
	c, err := s.container(r.PathValue("id"))
	if err != nil {
		return err
	}
	if !c.Alive() {
		return &statusError{http.StatusConflict, "container " + c.ID + " is not running"}
	}
	if err := runtime.CheckUser(o.User); err != nil {
		return err
	}
	e := &execInstance{id: runtime.NewID(), container: c.ID, opts: o}
	s.execs.add(e)
	writeJSON(w, http.StatusCreated, container.ExecCreateResponse{ID: e.id})
	return nil
}

// startExec runs the exec: detached, answered at once; or with its
// output (and input) on the hijacked connection until it exits.
func (s *Server) startExec(w http.ResponseWriter, r *http.Request) error {
	e, err := s.execs.get(r.PathValue("id"))
	if err != nil {
		return err
	}
	var o container.ExecStartOptions
	if err := decodeJSON(w, r, &o, "exec start request", true); err != nil {
		return err
	}
	if err := e.claim(); err != nil {
		return err
	}
	eo := e.runtimeOptions(o)
	if o.Detach {
		proc, err := s.rt.Exec(e.container, eo)
		if err != nil {
			e.failed(err)
			return err
		}
		e.run(proc)
		go e.wait(proc, nil)
		return nil // 200, and no body
	}
	client, in, err := hijack(w)
	if err != nil {
		e.failed(err)
		return err
	}
	defer client.Close()
	s.runExec(e, eo, client, in)
	return nil
}

// runExec runs the exec with its stdio on the client's connection, and
// returns once it has exited and its output has been sent. The process
// starts before the answer goes: a client resizes its terminal as soon as
// it has the answer. One that cannot start is told to the client as
// Docker tells it: the error as output, and its status (126, 127) for
// the inspect.
func (s *Server) runExec(e *execInstance, eo runtime.ExecOptions, client net.Conn, in io.Reader) {
	contentType := "application/vnd.docker.multiplexed-stream"
	if e.opts.Tty {
		contentType = "application/vnd.docker.raw-stream"
	}
	var streams *execStreams
	if !e.opts.Tty {
		var err error
		if streams, err = newExecStreams(e.opts); err != nil {
			e.failed(err)
			upgraded(client, contentType)
			writeOutput(client, e.opts.Tty, err.Error()+"\r\n")
			return
		}
		eo.Stdio = streams.child
	}
	proc, err := s.rt.Exec(e.container, eo)
	if err == nil {
		e.run(proc)
	}
	upgraded(client, contentType)
	if streams != nil {
		streams.started(client, e.opts.AttachStdin, in)
	}
	if err != nil {
		e.failed(err)
		writeOutput(client, e.opts.Tty, err.Error()+"\r\n")
		return
	}
	var output chan struct{}
	if proc.Console != nil {
		output = make(chan struct{})
		if e.opts.AttachStdin {
			go io.Copy(proc.Console, in)
		}
		go func() {
			io.Copy(client, proc.Console) // EIO once the process and its children have gone
			close(output)
		}()
	} else {
		output = streams.done()
	}
	e.wait(proc, output)
}

// writeOutput sends text as the process's output would go.
func writeOutput(client net.Conn, tty bool, text string) {
	if tty {
		io.WriteString(client, text)
		return
	}
	supervisor.WriteFrame(client, supervisor.FrameStdout, []byte(text))
}

// claim marks the exec started: an exec runs once.
func (e *execInstance) claim() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.started {
		return &statusError{http.StatusConflict, "exec " + e.id + " has already run"}
	}
	e.started = true
	return nil
}

// runtimeOptions are what step 07's Exec is given; the start's console
// size wins over the create's.
func (e *execInstance) runtimeOptions(o container.ExecStartOptions) runtime.ExecOptions {
	eo := runtime.ExecOptions{Cmd: e.opts.Cmd, Env: e.opts.Env, User: e.opts.User, WorkingDir: e.opts.WorkingDir,
		Tty: e.opts.Tty, Privileged: e.opts.Privileged}
	size := e.opts.ConsoleSize
	if o.ConsoleSize != nil {
		size = o.ConsoleSize
	}
	if size != nil {
		eo.Rows, eo.Cols = uint16(size[0]), uint16(size[1])
	}
	return eo
}

func (e *execInstance) run(proc *runtime.ExecProcess) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.running, e.pid, e.console = true, proc.Pid(), proc.Console
}

// failed records a start that did not happen, with Docker's status for
// it: 126 or 127 for a command that cannot run, 125 otherwise.
func (e *execInstance) failed(err error) {
	code := namespaces.ExitRuntime
	var se *namespaces.StartError
	if errors.As(err, &se) {
		code = se.Code
	}
	e.exited(code)
}

func (e *execInstance) exited(code int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.running, e.exitCode, e.finished = false, &code, time.Now()
}

// wait waits for the process, then (a moment at most: a child left in the
// background may hold the output open) for its output, and records the
// exit status before the client's stream ends, so that the inspect the
// client sends next reads it.
func (e *execInstance) wait(proc *runtime.ExecProcess, output chan struct{}) {
	code, err := proc.Wait()
	if err != nil {
		code = namespaces.ExitRuntime
	}
	if output != nil {
		select {
		case <-output:
		case <-time.After(time.Second):
		}
	}
	if proc.Console != nil {
		proc.Console.Close()
	}
	e.exited(code)
}

func (s *Server) resizeExec(w http.ResponseWriter, r *http.Request) error {
	e, err := s.execs.get(r.PathValue("id"))
	if err != nil {
		return err
	}
	rows, cols, err := sizeParams(r)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.console == nil || !e.running {
		return &statusError{http.StatusConflict, "exec " + e.id + " has no terminal running"}
	}
	if err := unix.IoctlSetWinsize(int(e.console.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// sizeParams reads a resize's h and w.
func sizeParams(r *http.Request) (rows, cols uint16, err error) {
	h, err1 := strconv.ParseUint(r.URL.Query().Get("h"), 10, 16)
	wd, err2 := strconv.ParseUint(r.URL.Query().Get("w"), 10, 16)
	if err1 != nil || err2 != nil {
		return 0, 0, badRequest("invalid resize h=%q w=%q: want two numbers", r.URL.Query().Get("h"), r.URL.Query().Get("w"))
	}
	return uint16(h), uint16(wd), nil
}

// execInspect and execProcess are dockerd's answer to an exec's inspect
// (its backend.ExecInspect, whose package would bring more modules than
// these few fields are worth).
type execInspect struct {
	ID            string
	Running       bool
	ExitCode      *int
	ProcessConfig execProcess
	OpenStdin     bool
	OpenStderr    bool
	OpenStdout    bool
	CanRemove     bool
	ContainerID   string
	DetachKeys    []byte
	Pid           int
}

type execProcess struct {
	Tty        bool     `json:"tty"`
	Entrypoint string   `json:"entrypoint"`
	Arguments  []string `json:"arguments"`
	Privileged *bool    `json:"privileged,omitempty"`
	User       string   `json:"user,omitempty"`
}

// inspectExec is the exec's state, in the shape dockerd answers.
func (s *Server) inspectExec(w http.ResponseWriter, r *http.Request) error {
	e, err := s.execs.get(r.PathValue("id"))
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	privileged := e.opts.Privileged
	in := execInspect{ID: e.id, Running: e.running, ExitCode: e.exitCode, Pid: e.pid, ContainerID: e.container,
		OpenStdin: e.opts.AttachStdin, OpenStdout: e.opts.AttachStdout, OpenStderr: e.opts.AttachStderr,
		DetachKeys: []byte{}, ProcessConfig: execProcess{Tty: e.opts.Tty, Entrypoint: e.opts.Cmd[0],
			Arguments: e.opts.Cmd[1:], Privileged: &privileged, User: e.opts.User}}
	writeJSON(w, http.StatusOK, in)
	return nil
}
