// The supervisor's life: take the job, hold the run lock, start the
// container (again, under a restart policy), keep its output, record its
// end, clean up, and tell the attached clients.

package supervisor

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"mini/internal/fastpath"
	namespaces "mini/steps/01-namespaces"
)

// Command is the hidden subcommand under which mini itself can act as the
// supervisor, when mini-shim is not installed beside it.
const Command = "shim"

// Supervisor runs one container.
type Supervisor struct {
	job         *Job
	hub         *hub
	log         *logFile
	closeSocket func() // closes and removes the attach socket
	state       *State

	mu         sync.Mutex
	proc       *namespaces.Process // the current process, nil between starts
	stdin      *os.File            // where client input goes: a pipe, or the terminal
	stopped    chan struct{}       // closed by a stop: no more restarts
	stopOnce   sync.Once
	stopSignal syscall.Signal // the signal of the stop, if one came
	orphaned   bool           // the build that ran it is gone (builder.go)

	// Made before the job came (early.go), from prep.
	prep     *Prepare
	lock     *RunLock
	early    *startCgroup
	earlyErr error
	init     *os.File    // the init binary, sealed ahead of the start
	child    *earlyChild // the first start's init, waiting for its Spec

	cgroupGone chan struct{} // closed when the last start's group is removed
}

// Main is mini-shim's main: read the job, then run the container (run:
// the run lock, each start, the clean-up). The CLI passes one end of a
// socket pair as descriptor 3 and sends the Job on it; that connection is
// then the first attached client (closed at once by run -d after
// FrameStarted).
//
// mini run may send a Prepare before the job (early.go, an optimisation):
// the supervisor then makes a start on the container while the CLI is
// still reading the image and making the container's directory.
func Main() int {
	s := &Supervisor{stopped: make(chan struct{})}
	f := os.NewFile(3, "control")
	early := s.beginEarly()
	job, err := readJob(f, early.prepare) // plain blocking reads: no poller needed yet
	early.wait()
	conn, cerr := net.FileConn(f)
	f.Close()
	if cerr != nil {
		s.undoEarly()
		fmt.Fprintf(os.Stderr, "mini-shim: descriptor 3 is not the control socket: %v\n", cerr)
		return 1
	}
	if err != nil {
		s.undoEarly()
		WriteJSON(conn, FrameExit, Report{ExitCode: namespaces.ExitRuntime, Error: "read job: " + err.Error()})
		return 1
	}
	s.job = job
	return s.run(conn)
}

// readJob reads the job frame, handing a Prepare before it to prepare.
func readJob(r io.Reader, prepare func(*Prepare)) (*Job, error) {
	for {
		kind, payload, err := ReadFrame(r)
		if err != nil {
			return nil, err // the CLI gave up: its container was never made
		}
		switch kind {
		case FramePrepare:
			var p Prepare
			if err := json.Unmarshal(payload, &p); err != nil {
				return nil, err
			}
			prepare(&p)
		case FrameJob:
			var job Job
			if err := json.Unmarshal(payload, &job); err != nil {
				return nil, err
			}
			return &job, nil
		default:
			return nil, fmt.Errorf("frame of kind %d, not a job", kind)
		}
	}
}

// acquireLock takes the container's run lock, recording in it what a
// sweep needs to clean up after this supervisor: its cgroup's parent and
// whether it has addresses to give back.
func acquireLock(root, id string, cg *CgroupJob, networked bool) (*RunLock, error) {
	rec := RunRecord{ID: id, Supervisor: os.Getpid(), Networked: networked}
	if cg != nil {
		rec.CgroupParent = cg.Parent
	}
	return AcquireRunLock(root, rec)
}

// run supervises the container until it is gone for good: the run lock
// and the files, the container's life, then the clean-up and the report.
func (s *Supervisor) run(first net.Conn) int {
	s.hub = newHub(s)
	s.hub.add(first, true)
	s.state = &State{Status: StatusCreated}
	var rep Report
	err := s.setUp()
	if err == nil {
		go s.watchBuilder()
		rep = s.lifecycle()
	} else {
		rep = Report{ExitCode: namespaces.ExitRuntime, Error: err.Error()}
		s.hub.broadcast(FrameStarted, mustJSON(rep))
	}
	locked := err == nil // setUp took the run lock, and opened the files
	if s.job.AutoRemove && locked && fastpath.On() {
		s.reportThenRemove(rep) // an optimisation (remove.go)
		return 0
	}
	if s.job.AutoRemove || s.isOrphaned() {
		s.removeNow()
	}
	s.waitCgroup()
	if locked {
		s.closeFiles()
		// Released before the report: a client that starts the container
		// again as soon as it has it (restart) must find it stopped.
		s.lock.Release()
	}
	s.exitReport(rep)
	return 0
}

// exitReport tells every client how the container ended, and lets them go.
func (s *Supervisor) exitReport(rep Report) {
	s.hub.broadcast(FrameExit, mustJSON(rep))
	s.hub.closeAll()
}

// setUp takes the run lock (unless prepareEarly has), and opens the log
// and the attach socket.
func (s *Supervisor) setUp() error {
	j := s.job
	if s.earlyErr != nil {
		s.undoEarly()
		return s.earlyErr
	}
	if s.lock == nil {
		var err error
		if s.lock, err = acquireLock(j.Root, j.ID, j.Cgroup, j.Network != nil && j.Network.Pool != ""); err != nil {
			return err
		}
	}
	if err := s.openFiles(); err != nil {
		s.undoEarly() // and the run lock
		return err
	}
	return nil
}

// openFiles opens the container's log and its attach socket, and starts
// serving the clients that attach.
func (s *Supervisor) openFiles() error {
	log, err := openLog(s.job.Dir(), s.job.logOptions())
	if err != nil {
		return fmt.Errorf("open the container's log: %w", err)
	}
	l, closeSocket, err := listen(s.job.Dir())
	if err != nil {
		log.close()
		return err
	}
	s.log, s.closeSocket = log, closeSocket
	go s.hub.serve(l)
	return nil
}

// closeFiles closes the log and the attach socket.
func (s *Supervisor) closeFiles() {
	s.closeSocket()
	s.log.close()
}

// lifecycle starts the container, and starts it again while the restart
// policy says so. It returns how the last run ended.
func (s *Supervisor) lifecycle() Report {
	for first := true; ; first = false {
		rep, started := s.runOnce(first)
		if !started || !s.shouldRestart(rep.ExitCode) {
			return rep
		}
		s.waitCgroup() // the same group is made again
		s.state.Status = StatusRestarting
		WriteState(s.job.Dir(), s.state)
		select {
		case <-time.After(restartDelay(s.state.RestartCount)):
		case <-s.stopped:
			s.state.Status = StatusExited
			WriteState(s.job.Dir(), s.state)
			return rep
		}
		s.state.RestartCount++
	}
}

// restartDelay doubles from 100 ms with each restart, up to a minute, as
// Docker's does.
func restartDelay(n int) time.Duration {
	d := 100 * time.Millisecond << min(n, 10)
	return min(d, time.Minute)
}

func (s *Supervisor) shouldRestart(code int) bool {
	select {
	case <-s.stopped:
		return false
	default:
	}
	switch p := s.job.Restart; p.Name {
	case "always", "unless-stopped":
		return true
	case "on-failure":
		return code != 0 && (p.MaxRetries == 0 || s.state.RestartCount < p.MaxRetries)
	}
	return false
}

// removeNow takes the container away (--rm), with its anonymous volumes.
func (s *Supervisor) removeNow() {
	os.RemoveAll(string(s.job.Dir()))
	s.removed()
}

// removed removes the container's anonymous volumes, and says it is gone.
func (s *Supervisor) removed() {
	for _, dir := range s.job.RemoveWith {
		os.RemoveAll(dir)
	}
	LogEvent(s.job.Root, "destroy", s.job.ID, s.attrs(nil))
}

// attrs are an event's attributes (events.go).
func (s *Supervisor) attrs(extra map[string]string) map[string]string {
	return s.job.Attributes(extra)
}

func mustJSON(v any) []byte {
	data, _ := json.Marshal(v)
	return data
}
