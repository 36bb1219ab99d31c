// The user's side of -t: mini's terminal is connected to the master side
// of the container's pseudo-terminal (made inside the container, see
// steps/01-namespaces/console.go).
//
// With -i, mini's own terminal is put in raw mode: every key, Ctrl-C
// included, goes to the container as a byte, and the container's terminal
// does the echoing and line editing. When mini's terminal changes size
// (SIGWINCH), the container's terminal is given the same size, so full
// screen programs redraw correctly. The terminal is restored on the way out.

package main

import (
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
	"golang.org/x/term"

	namespaces "mini/steps/01-namespaces"
)

// consoleSession is mini's end of a container's terminal.
type consoleSession struct {
	interactive bool
	master      *os.File
	saved       *term.State   // mini's terminal before raw mode
	output      chan struct{} // closed when the container's output ends
	winch       chan os.Signal
}

// newConsoleSession records mini's terminal size in the spec, so the
// container's terminal starts with it.
func newConsoleSession(spec *namespaces.Spec, interactive bool) *consoleSession {
	if ws, err := unix.IoctlGetWinsize(int(os.Stdout.Fd()), unix.TIOCGWINSZ); err == nil {
		spec.Rows, spec.Cols = ws.Row, ws.Col
	}
	return &consoleSession{interactive: interactive, output: make(chan struct{})}
}

// attach starts copying between mini's streams and the container's terminal.
func (c *consoleSession) attach(master *os.File) {
	c.master = master
	stdin := int(os.Stdin.Fd())
	if c.interactive && term.IsTerminal(stdin) {
		if saved, err := term.MakeRaw(stdin); err == nil {
			c.saved = saved
		}
	}
	if c.interactive {
		go io.Copy(master, os.Stdin)
	}
	go func() {
		// Reading the master fails with EIO once every process holding
		// the terminal has exited: that is the end of the output.
		io.Copy(os.Stdout, master)
		close(c.output)
	}()
	c.followWindowSize()
}

// followWindowSize copies mini's terminal size to the container's on
// every SIGWINCH.
func (c *consoleSession) followWindowSize() {
	c.winch = make(chan os.Signal, 1)
	signal.Notify(c.winch, syscall.SIGWINCH)
	go func() {
		for range c.winch {
			if ws, err := unix.IoctlGetWinsize(int(os.Stdout.Fd()), unix.TIOCGWINSZ); err == nil {
				unix.IoctlSetWinsize(int(c.master.Fd()), unix.TIOCSWINSZ, ws)
			}
		}
	}()
}

// drain waits until all the container's output has been written.
func (c *consoleSession) drain() { <-c.output }

// restore gives mini's terminal back its old mode.
func (c *consoleSession) restore() {
	if c.winch != nil {
		signal.Stop(c.winch)
	}
	if c.saved != nil {
		term.Restore(int(os.Stdin.Fd()), c.saved)
	}
	if c.master != nil {
		c.master.Close()
	}
}
