// The user's side of -t: mini's own terminal, while it is attached to a
// container's (the container's terminal is made inside it, see
// steps/01-namespaces/console.go, and held by its supervisor).
//
// With -i, mini's terminal is put in raw mode: every key, Ctrl-C included,
// goes to the container as a byte, and the container's terminal does the
// echoing and line editing. When mini's terminal changes size (SIGWINCH),
// the supervisor is told, and gives the container's terminal the same
// size, so full screen programs redraw correctly. The terminal is restored
// on the way out.

package main

import (
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// terminal is mini's terminal while attached.
type terminal struct {
	saved *term.State // before raw mode
	winch chan os.Signal
}

// terminalSize is the size of mini's terminal, if it has one.
func terminalSize() (rows, cols uint16, ok bool) {
	ws, err := unix.IoctlGetWinsize(int(os.Stdout.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return 0, 0, false
	}
	return ws.Row, ws.Col, true
}

// makeRaw puts mini's terminal in raw mode, when stdin is one.
func (t *terminal) makeRaw() {
	if fd := int(os.Stdin.Fd()); term.IsTerminal(fd) {
		if saved, err := term.MakeRaw(fd); err == nil {
			t.saved = saved
		}
	}
}

// followSize calls resize with mini's terminal size now and on every
// SIGWINCH.
func (t *terminal) followSize(resize func(rows, cols uint16)) {
	if rows, cols, ok := terminalSize(); ok {
		resize(rows, cols)
	}
	t.winch = make(chan os.Signal, 1)
	signal.Notify(t.winch, syscall.SIGWINCH)
	go func() {
		for range t.winch {
			if rows, cols, ok := terminalSize(); ok {
				resize(rows, cols)
			}
		}
	}()
}

// restore gives mini's terminal back its old mode.
func (t *terminal) restore() {
	if t.winch != nil {
		signal.Stop(t.winch)
	}
	if t.saved != nil {
		term.Restore(int(os.Stdin.Fd()), t.saved)
	}
}
