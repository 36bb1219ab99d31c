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
// (This takes a while; see signalProxy.)

package main

import (
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// proxied are the signals passed on: the 31 standard ones, less those
// that cannot be caught (SIGKILL, SIGSTOP) and those that concern mini
// itself: its children, its pipes, its terminal's size, the Go runtime's
// preemption and profiler. Real-time signals are not caught: each signal
// caught costs time at every start (see signalProxy); mini kill -s sends
// them.
var proxied = func() []os.Signal {
	skip := map[syscall.Signal]bool{
		syscall.SIGKILL: true, syscall.SIGSTOP: true, syscall.SIGCHLD: true, syscall.SIGPIPE: true,
		syscall.SIGURG: true, syscall.SIGWINCH: true, syscall.SIGPROF: true,
	}
	var sigs []os.Signal
	for s := syscall.Signal(1); s < 32; s++ {
		if !skip[s] {
			sigs = append(sigs, s)
		}
	}
	return sigs
}()

// signalProxy catches the proxied signals from now on and, once given the
// container's process, forwards them to it.
//
// Catching signals is slow in Go: signal.Notify hands each signal to a
// runtime thread in turn, 0.3-1 ms for these 24 (2-4 ms for all 65), and
// signal.Stop as much again. So the catching starts in the background,
// overlapping the container's setup, and is never undone: after the
// container is gone, signals are dropped while mini cleans up, which is
// what a cleanup wants.
type signalProxy struct {
	ch     chan os.Signal
	ready  chan struct{}
	target chan func(syscall.Signal)
	done   atomic.Bool
}

func startSignalProxy() *signalProxy {
	p := &signalProxy{ch: make(chan os.Signal, 32), ready: make(chan struct{}), target: make(chan func(syscall.Signal), 1)}
	go func() {
		signal.Notify(p.ch, proxied...)
		close(p.ready)
		send := <-p.target // nil if the container never started
		for sig := range p.ch {
			if send != nil && !p.done.Load() {
				send(sig.(syscall.Signal))
			}
		}
	}()
	return p
}

// armed returns once every signal is caught: call it before the container
// starts, so that no signal meant for it can kill mini instead.
func (p *signalProxy) armed() { <-p.ready }

// forwardTo starts forwarding through send (to the container's
// supervisor), the held signals first. Only the first call counts.
func (p *signalProxy) forwardTo(send func(syscall.Signal)) {
	select {
	case p.target <- send:
	default:
	}
}

// stop ends the forwarding; later signals are dropped.
func (p *signalProxy) stop() {
	p.done.Store(true)
	select {
	case p.target <- nil: // never started: let the goroutine drain
	default:
	}
}
