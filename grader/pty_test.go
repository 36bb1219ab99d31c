// ptyrun: run a command on a pseudo-terminal of a chosen size, as a person
// at a terminal would, and keep what the screen showed.
//
//	ptyrun TRANSCRIPT SESSION CMD [ARGS...]
//
// SESSION holds one action a line:
//
//	size ROWSxCOLS   set the terminal's size; after the start this is a
//	                 resize, and the kernel sends SIGWINCH to the command
//	send TEXT        type TEXT and Enter
//	key ^X           press Ctrl-X (^C is Ctrl-C)
//	expect REGEXP    wait up to 10s for the screen to show REGEXP, after
//	                 what the previous expect matched
//	status N         the command must exit with status N (default 0)
//
// Everything the terminal showed is written to TRANSCRIPT. The terminal's
// modes must be the same after the command as before it: a program that
// puts the terminal in raw mode must restore it.
package grader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/sys/unix"
)

// screen collects what the command writes to its terminal.
type screen struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	seen int // how far expect has matched
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

// expect waits until re matches the output after the last match.
func (s *screen) expect(re *regexp.Regexp) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		s.mu.Lock()
		loc := re.FindIndex(s.buf.Bytes()[s.seen:])
		if loc != nil {
			s.seen += loc[1]
		}
		s.mu.Unlock()
		if loc != nil {
			return true
		}
	}
	return false
}

func cmdPtyrun(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: ptyrun TRANSCRIPT SESSION CMD [ARGS...]")
	}
	actions := strings.Split(strings.TrimSpace(ts.ReadFile(args[1])), "\n")
	master, slave, err := openPty()
	ts.Check(err)
	defer master.Close()

	wantStatus := 0
	for len(actions) > 0 && strings.HasPrefix(actions[0], "size ") {
		ts.Check(setSize(master, strings.TrimPrefix(actions[0], "size ")))
		actions = actions[1:]
	}
	before, err := unix.IoctlGetTermios(int(master.Fd()), unix.TCGETS)
	ts.Check(err)
	cmd := scenarioCommand(ts.Getenv, args[2], args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	ts.Check(cmd.Start())
	slave.Close()

	out := &screen{}
	copied := make(chan struct{})
	go func() { io.Copy(out, master); close(copied) }()
	failed := runActions(ts, master, out, actions, &wantStatus)
	if failed != "" {
		cmd.Process.Kill()
	}
	// A command that does not end when the session is over is a failure,
	// not a hang of the whole suite.
	timer := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	err = cmd.Wait()
	if !timer.Stop() && failed == "" {
		failed = fmt.Sprintf("%s did not exit within 30s of the session's end", args[2])
	}
	after, terr := unix.IoctlGetTermios(int(master.Fd()), unix.TCGETS)
	<-copied
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), out.buf.Bytes(), 0o644))
	if failed != "" {
		ts.Fatalf("%s\nscreen:\n%s", failed, out.buf.String())
	}
	ts.Check(terr)
	if before.Lflag != after.Lflag || before.Iflag != after.Iflag || before.Oflag != after.Oflag {
		ts.Fatalf("%s left the terminal's modes changed: lflag %#x -> %#x", args[2], before.Lflag, after.Lflag)
	}
	var ee *exec.ExitError
	status := 0
	if errors.As(err, &ee) {
		status = ee.ExitCode()
	}
	if status != wantStatus {
		ts.Fatalf("%s exited with status %d, want %d\nscreen:\n%s", args[2], status, wantStatus, out.buf.String())
	}
}

// runActions plays the session; it returns what went wrong, or "".
func runActions(ts *testscript.TestScript, master *os.File, out *screen, actions []string, status *int) string {
	for _, line := range actions {
		verb, arg, _ := strings.Cut(line, " ")
		switch verb {
		case "send":
			if _, err := master.WriteString(arg + "\r"); err != nil {
				return fmt.Sprintf("send %q: %v", arg, err)
			}
		case "key":
			if len(arg) != 2 || arg[0] != '^' {
				ts.Fatalf("ptyrun: key wants ^X, not %q", arg)
			}
			if _, err := master.Write([]byte{arg[1] & 0x1f}); err != nil {
				return fmt.Sprintf("key %s: %v", arg, err)
			}
		case "expect":
			if !out.expect(regexp.MustCompile(arg)) {
				return fmt.Sprintf("expect %q: not shown within 10s", arg)
			}
		case "size":
			if err := setSize(master, arg); err != nil {
				return err.Error()
			}
		case "status":
			n, err := strconv.Atoi(arg)
			ts.Check(err)
			*status = n
		default:
			ts.Fatalf("ptyrun: unknown action %q", line)
		}
	}
	return ""
}

// openPty makes a pseudo-terminal pair on the host.
func openPty() (master, slave *os.File, err error) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		return nil, nil, err
	}
	n, err := unix.IoctlGetUint32(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	return m, s, nil
}

// setSize sets the terminal's size from "ROWSxCOLS".
func setSize(master *os.File, size string) error {
	var rows, cols uint16
	if _, err := fmt.Sscanf(size, "%dx%d", &rows, &cols); err != nil {
		return fmt.Errorf("size %q: want ROWSxCOLS", size)
	}
	return unix.IoctlSetWinsize(int(master.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols})
}
