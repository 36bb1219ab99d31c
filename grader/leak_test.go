// A scenario that fails must leave nothing behind: a grading run that
// fails must not poison the next one on the same machine.

package grader

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// failingScenario makes a user network and a detached container on it,
// then fails.
const failingScenario = `mkrootfs rootfs
exec mini network create leaky
exec mini run -d --net leaky -p 80 --name left --rootfs rootfs sleep 6061
exec mini inspect -f '{{.Id}}' left
cp stdout $OUTSIDE_WORK/id
exec false
`

func TestFailedScenarioLeavesNothing(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the scenario starts real containers and needs root")
	}
	if _, err := os.Stat("/usr/sbin/iptables"); err != nil {
		t.Skip("a user network needs iptables (make deps installs it)")
	}
	outside := t.TempDir() // for what the scenario tells, beyond its $WORK
	script := filepath.Join(t.TempDir(), "fails.txtar")
	if err := os.WriteFile(script, []byte(failingScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	mini := scenarioMini(t)
	defer removeEmptyChains()()
	before := hostLinks()
	ft := &recordingT{}
	testscript.RunT(ft, testscript.Params{
		Files: []string{script},
		Setup: func(env *testscript.Env) error {
			withMini(env, mini)
			env.Setenv("OUTSIDE_WORK", outside)
			return setupScenario(env)
		},
		Cmds:                scenarioCommands,
		RequireExplicitExec: true,
	})
	ft.cleanUp()
	if !ft.failed {
		t.Fatalf("the scenario did not fail:\n%s", ft.log.String())
	}
	for name := range hostLinks() {
		if !before[name] && strings.HasPrefix(name, "mini") {
			t.Errorf("the failed scenario left the link %s", name)
		}
	}
	// Its published port's rules name neither the bridge nor the subnet:
	// only the container's ID, in their comment.
	id, _ := os.ReadFile(filepath.Join(outside, "id"))
	rules, _ := exec.Command("iptables-save").Output()
	if len(strings.TrimSpace(string(id))) != 64 {
		t.Errorf("the scenario did not say its container's ID: %q", id)
	} else if strings.Contains(string(rules), strings.TrimSpace(string(id))) {
		t.Errorf("the failed scenario left iptables rules for its container:\n%s", rules)
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		if cmdline, _ := os.ReadFile(p); string(cmdline) == "sleep\x006061\x00" {
			t.Errorf("the failed scenario left its container's process %s", filepath.Dir(p))
		}
	}
}

// hostLinks are the host's network interfaces by name.
func hostLinks() map[string]bool {
	ifs, _ := net.Interfaces()
	names := map[string]bool{}
	for _, i := range ifs {
		names[i.Name] = true
	}
	return names
}

// recordingT runs scenarios as testing.T would, but records a failure
// instead of failing the test, and keeps the cleanups for the end.
type recordingT struct {
	mu       sync.Mutex
	failed   bool
	log      strings.Builder
	cleanups []func()
}

func (r *recordingT) Skip(args ...any) { r.Log(args...); runtime.Goexit() }
func (r *recordingT) Fatal(args ...any) {
	r.Log(args...)
	r.FailNow()
}
func (r *recordingT) FailNow() {
	r.mu.Lock()
	r.failed = true
	r.mu.Unlock()
	runtime.Goexit()
}
func (r *recordingT) Parallel()     {}
func (r *recordingT) Verbose() bool { return false }
func (r *recordingT) Log(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintln(&r.log, args...)
}

// Run runs f on a goroutine of its own, which FailNow may end.
func (r *recordingT) Run(_ string, f func(testscript.T)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
}

// Cleanup is what setupScenario asks of a T.
func (r *recordingT) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

func (r *recordingT) cleanUp() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}
