package namespaces

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// The test binary is its own container init (Options.InitBinary empty
// means this program): run as "init", it becomes one.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == InitCommand {
		Init()
	}
	os.Exit(m.Run())
}

// A child spawned ahead of its Spec exists, in namespaces of its own, and
// waits; abandoned, it is gone.
func TestSpawnedChildWaitsAndCanBeAbandoned(t *testing.T) {
	c := spawnForTest(t)
	pid := c.Pid()
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("the spawned child %d is not there: %v", pid, err)
	}
	self, _ := os.Readlink("/proc/self/ns/pid")
	child, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/ns/pid")
	if err != nil || child == self {
		t.Fatalf("the child's PID namespace is %q, this test's %q (%v)", child, self, err)
	}
	c.Abandon()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("the abandoned child %d is still there: %v", pid, err)
	}
}

// A child spawned with a network namespace of its own is not given a Spec
// that joins another: the start fails, and the child is gone.
func TestChildRefusesASpecItWasNotSpawnedFor(t *testing.T) {
	c := spawnForTest(t)
	pid := c.Pid()
	_, err := c.Start(&Spec{Args: []string{"true"}, Network: "host"}, nil)
	if err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Fatalf("Start with the host's network: %v, want a refusal", err)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("the refused child %d is still there: %v", pid, err)
	}
}

// spawnForTest spawns a child with a network namespace of its own.
func spawnForTest(t *testing.T) *Child {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("new namespaces need root: run the tests with sudo")
	}
	c, err := Spawn(false, true, Options{})
	if err != nil {
		t.Fatalf("spawn: %v", err)
	}
	return c
}
