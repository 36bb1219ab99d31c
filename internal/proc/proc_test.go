package proc

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func sh(t *testing.T, script string, files ...*os.File) *Process {
	t.Helper()
	p, err := Start("/bin/sh", []string{"sh", "-c", script}, &Attr{Env: []string{"PATH=/usr/bin:/bin"}, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWaitGivesTheExitStatus(t *testing.T) {
	ws, err := sh(t, "exit 7").Wait()
	if err != nil || !ws.Exited() || ws.ExitStatus() != 7 {
		t.Fatalf("got %v, %v; want exit status 7", ws, err)
	}
}

func TestSignalReachesTheChildUntilItIsWaitedFor(t *testing.T) {
	p := sh(t, "exec sleep 60")
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ws, err := p.Wait()
	if err != nil || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("got %v, %v; want killed by SIGTERM", ws, err)
	}
	// Its PID may belong to another process by now: no signal may go out.
	if err := p.Kill(); !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("Kill after Wait: %v, want os.ErrProcessDone", err)
	}
}

func TestFilesBecomeTheChildsDescriptors(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	// The standard streams missing (/dev/null), the pipe as descriptor 3,
	// and a missing descriptor 4 left closed.
	p := sh(t, "exec sleep 60", nil, nil, nil, w, nil)
	defer p.Wait()
	defer p.Kill()
	// Read them once sh has become sleep and sleeps: while the dynamic
	// loader runs, the program has its libraries open on descriptors of
	// its own.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.Pid))
		if strings.Contains(string(stat), "(sleep) S ") {
			break
		}
	}
	pipe, _ := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", w.Fd()))
	want := []string{os.DevNull, os.DevNull, os.DevNull, pipe, ""}
	for fd, w := range want {
		got, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%d", p.Pid, fd))
		if got != w {
			t.Errorf("descriptor %d is %q, want %q", fd, got, w)
		}
	}
}

func TestStartReportsAMissingProgram(t *testing.T) {
	_, err := Start("/nonexistent/prog", []string{"prog"}, &Attr{})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/prog") || !errors.Is(err, syscall.ENOENT) {
		t.Fatalf("got %v, want an error naming the path, wrapping ENOENT", err)
	}
}
