// The user's side of -t: mini's own terminal, while it is attached to a
// container's (or to an exec'd command's, or, as a daemon's client, to
// either through the API) (the container's terminal is made inside it, see
// steps/01-namespaces/console.go, and held by its supervisor).
//
// With -i, mini's terminal is put in raw mode: every key, Ctrl-C included,
// goes to the container as a byte, and the container's terminal does the
// echoing and line editing. When mini's terminal changes size (SIGWINCH),
// the supervisor is told, and gives the container's terminal the same
// size, so full screen programs redraw correctly. The terminal is restored
// on the way out.

package cli

import (
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// Terminal is mini's terminal while attached.
type Terminal struct {
	saved *term.State // before raw mode
	winch chan os.Signal
}

// TerminalSize is the size of mini's terminal, if it has one.
func TerminalSize() (rows, cols uint16, ok bool) {
	ws, err := unix.IoctlGetWinsize(int(os.Stdout.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return 0, 0, false
	}
	return ws.Row, ws.Col, true
}

// MakeRaw puts mini's terminal in raw mode, when stdin is one.
func (t *Terminal) MakeRaw() {
	if fd := int(os.Stdin.Fd()); term.IsTerminal(fd) {
		if saved, err := term.MakeRaw(fd); err == nil {
			t.saved = saved
		}
	}
}

// FollowSize calls resize with mini's terminal size now and on every
// SIGWINCH.
func (t *Terminal) FollowSize(resize func(rows, cols uint16)) {
	if rows, cols, ok := TerminalSize(); ok {
		resize(rows, cols)
	}
	t.winch = make(chan os.Signal, 1)
	signal.Notify(t.winch, syscall.SIGWINCH)
	go func() {
		for range t.winch {
			if rows, cols, ok := TerminalSize(); ok {
				resize(rows, cols)
			}
		}
	}()
}

// Restore gives mini's terminal back its old mode.
func (t *Terminal) Restore() {
	if t.winch != nil {
		signal.Stop(t.winch)
	}
	if t.saved != nil {
		term.Restore(int(os.Stdin.Fd()), t.saved)
	}
}
