package supervisor

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"syscall"
	"testing"
	"time"

	"mini/steps/07-runtime/store"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFrame(&buf, FrameStderr, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	// Docker's attach header: the stream, three zero bytes, the length.
	if got := buf.Bytes()[:8]; !bytes.Equal(got, []byte{2, 0, 0, 0, 0, 0, 0, 5}) {
		t.Fatalf("header %v", got)
	}
	kind, payload, err := ReadFrame(&buf)
	if err != nil || kind != FrameStderr || string(payload) != "hello" {
		t.Fatalf("got %d %q %v", kind, payload, err)
	}
	if _, _, err := ReadFrame(bytes.NewReader([]byte{1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})); err == nil {
		t.Fatal("a 4 GiB frame was accepted")
	}
}

// The log has one entry per line; a line without an end is kept until the
// end of the stream.
func TestLineLog(t *testing.T) {
	dir := store.Dir(t.TempDir())
	l, err := openLog(dir, LogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w := &lineLog{log: l, stream: "stdout"}
	w.Write([]byte("one\ntw"))
	w.Write([]byte("o\nthree"))
	w.flush()
	l.close()
	f, _ := os.Open(dir.Log())
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e LogEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if e.Stream != "stdout" || e.Time.IsZero() {
			t.Fatalf("entry %+v", e)
		}
		lines = append(lines, e.Log)
	}
	want := []string{"one\n", "two\n", "three"}
	if len(lines) != len(want) || lines[0] != want[0] || lines[1] != want[1] || lines[2] != want[2] {
		t.Fatalf("log lines %q, want %q", lines, want)
	}
}

func TestRestartPolicy(t *testing.T) {
	cases := []struct {
		policy   RestartPolicy
		restarts int
		code     int
		stopped  bool
		want     bool
	}{
		{RestartPolicy{Name: "no"}, 0, 1, false, false},
		{RestartPolicy{Name: "on-failure"}, 5, 1, false, true},
		{RestartPolicy{Name: "on-failure"}, 0, 0, false, false},
		{RestartPolicy{Name: "on-failure", MaxRetries: 2}, 1, 1, false, true},
		{RestartPolicy{Name: "on-failure", MaxRetries: 2}, 2, 1, false, false},
		{RestartPolicy{Name: "always"}, 9, 0, false, true},
		{RestartPolicy{Name: "always"}, 0, 0, true, false},
		{RestartPolicy{Name: "unless-stopped"}, 0, 1, true, false},
	}
	for _, c := range cases {
		s := &Supervisor{job: &Job{Restart: c.policy}, state: &State{RestartCount: c.restarts}, stopped: make(chan struct{})}
		if c.stopped {
			s.stop(syscall.SIGTERM)
		}
		if got := s.shouldRestart(c.code); got != c.want {
			t.Errorf("%+v after %d restarts, exit %d, stopped %v: restart %v, want %v", c.policy, c.restarts, c.code, c.stopped, got, c.want)
		}
	}
	if restartDelay(0) != 100*time.Millisecond || restartDelay(3) != 800*time.Millisecond || restartDelay(30) != time.Minute {
		t.Errorf("delays %v %v %v", restartDelay(0), restartDelay(3), restartDelay(30))
	}
}
