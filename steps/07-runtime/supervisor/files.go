// The container's log and attach socket, opened while its init builds
// the root.
//
// The first start's init spends a millisecond or so mounting its root
// after it has its Spec, and the supervisor only waits for it. Creating
// two files is slow on some filesystems; done in that wait, it costs the
// start nothing. They are needed only once the process runs: the log for
// its output, the socket for the clients that attach after "started".

package supervisor

import "fmt"

// files is the log and the socket being opened, once per supervisor.
type files struct {
	done        chan struct{}
	err         error
	closeSocket func()
	s           *Supervisor
}

// openFiles starts opening the log and the attach socket. The goroutine
// runs as soon as the supervisor blocks, which it does when it has handed
// the init its Spec.
func (s *Supervisor) openFiles() *files {
	f := &files{done: make(chan struct{}), s: s}
	go func() {
		defer close(f.done)
		f.err = f.open()
	}()
	return f
}

func (f *files) open() error {
	dir := f.s.job.Dir()
	log, err := openLog(dir)
	if err != nil {
		return fmt.Errorf("open the container's log: %w", err)
	}
	l, closeSocket, err := listen(dir)
	if err != nil {
		log.close()
		return err
	}
	f.s.log, f.closeSocket = log, closeSocket
	go f.s.hub.serve(l)
	return nil
}

// wait waits for both, and says whether they could be opened.
func (f *files) wait() error {
	<-f.done
	return f.err
}

// close closes both, once they are open.
func (f *files) close() {
	if f.wait() == nil {
		f.closeSocket()
		f.s.log.close()
	}
}
