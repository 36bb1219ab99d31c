// --sig-proxy: a signal sent to mini is passed on to the container.
//
// The container's first process is PID 1 of its PID namespace, and the
// kernel protects a namespace's init: it receives only the signals it has a
// handler for (SIGKILL and SIGSTOP from outside excepted). A container
// whose command ignores SIGTERM by default will therefore not stop on
// SIGTERM: the same as in Docker.

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

// proxySignals forwards every signal mini receives to proc until the
// returned function is called.
func proxySignals(proc *namespaces.Process) (stop func()) {
	ch := make(chan os.Signal, 32)
	signal.Notify(ch)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for sig := range ch {
			if !notProxied[sig] {
				proc.Signal(sig)
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		close(ch)
		<-done
	}
}
