// --sig-proxy: a signal sent to mini is passed on to the container.
//
// The container's first process is PID 1 of its PID namespace, and the
// kernel protects a namespace's init: it receives only the signals it has a
// handler for (SIGKILL and SIGSTOP from outside excepted). A container
// whose command ignores SIGTERM by default will therefore not stop on
// SIGTERM: the same as in Docker.
//
// mini catches signals before it starts the container: the container can
// be running (and someone signalling mini) before Start returns, and a
// signal mini had not caught yet would kill mini by its default action.
// Signals that come before the container exists wait in the channel.

package main

import (
	"os"
	"os/signal"
	"syscall"

	namespaces "mini/steps/01-namespaces"
)

// notProxied are signals that concern mini itself: its children, its
// pipes, its terminal's size, and the Go runtime's preemption.
var notProxied = map[os.Signal]bool{
	syscall.SIGCHLD: true, syscall.SIGPIPE: true, syscall.SIGURG: true, syscall.SIGWINCH: true,
}

// signalProxy catches every signal from now on and, once given the
// container's process, forwards them to it.
type signalProxy struct {
	ch     chan os.Signal
	target chan *namespaces.Process
	done   chan struct{}
}

func startSignalProxy() *signalProxy {
	p := &signalProxy{ch: make(chan os.Signal, 32), target: make(chan *namespaces.Process, 1), done: make(chan struct{})}
	signal.Notify(p.ch)
	go func() {
		defer close(p.done)
		proc := <-p.target // nil if the container never started
		for sig := range p.ch {
			if proc != nil && !notProxied[sig] {
				proc.Signal(sig)
			}
		}
	}()
	return p
}

// forwardTo starts forwarding, the held signals first.
func (p *signalProxy) forwardTo(proc *namespaces.Process) { p.target <- proc }

// stop ends the proxy; signals go back to their default actions.
func (p *signalProxy) stop() {
	signal.Stop(p.ch)
	select {
	case p.target <- nil: // never started: let the goroutine go
	default:
	}
	close(p.ch)
	<-p.done
}
