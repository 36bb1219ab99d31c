// The scenario harness: the grader. Each folder testdata/<stage> holds
// testscript scenarios (*.txtar) that drive a mini as students and
// graders do; each folder is one subtest, so
//
//	go test ./grader -run 'TestScripts/01'
//
// runs stage 01 alone. The mini graded is $MINI, any binary that follows
// mini's command line (testdata/README.md); without $MINI, this tree's
// mini is built for the run. Nothing here imports mini's code: every check
// goes through the mini's command line and the host's own view.
// Containers need root, so the scenarios are skipped without it.
package grader

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/vishvananda/netlink"
)

// minis holds the mini the scenarios run, made once per test binary and
// removed when it ends.
var minis struct {
	once sync.Once
	dir  string // mini is dir/mini
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if minis.dir != "" {
		os.RemoveAll(minis.dir)
	}
	os.Exit(code)
}

// scenarioMini is the directory of the mini the scenarios run, to put
// first on their PATH: a link to $MINI (the graded binary, which finds
// whatever programs it starts itself), or this tree's mini and its
// helpers, built beside each other as make build builds them.
func scenarioMini(t testing.TB) string {
	minis.once.Do(func() {
		minis.dir, minis.err = os.MkdirTemp("", "mini-grader-")
		if minis.err == nil {
			minis.err = prepareMini(minis.dir, os.Getenv("MINI"))
		}
	})
	if minis.err != nil {
		t.Fatal(minis.err)
	}
	return minis.dir
}

// prepareMini puts the mini to grade in dir: a link to bin, or this
// tree's, built.
func prepareMini(dir, bin string) error {
	if bin != "" {
		abs, err := filepath.Abs(bin)
		if err == nil {
			_, err = os.Stat(abs)
		}
		if err != nil {
			return fmt.Errorf("MINI=%s: %v", bin, err)
		}
		return os.Symlink(abs, filepath.Join(dir, "mini"))
	}
	goBin := goCommand()
	for name, pkg := range map[string]string{
		"mini": "mini/mini", "mini-init": "mini/mini/init",
		"mini-shim": "mini/mini/shim", "mini-image": "mini/mini/image", "mini-daemon": "mini/mini/daemon",
	} {
		cmd := exec.Command(goBin, "build", "-o", filepath.Join(dir, name), pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("build %s: %v\n%s", name, err, msg)
		}
	}
	return nil
}

// goCommand is the go command: on PATH, or else the one that built this
// test (sudo's secure PATH often lacks Go's directory).
func goCommand() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// withMini puts the mini's directory first on the scenario's PATH.
func withMini(env *testscript.Env, dir string) {
	env.Setenv("PATH", dir+string(os.PathListSeparator)+env.Getenv("PATH"))
}

func TestScripts(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the scenarios start real containers and need root: run `sudo make test`")
	}
	testdata := cmp.Or(os.Getenv("MINI_TESTDATA"), filepath.Join("..", "testdata"))
	stages, err := filepath.Glob(filepath.Join(testdata, "[0-9]*"))
	if err != nil || len(stages) == 0 {
		t.Fatalf("no scenario folders under %s: %v", testdata, err)
	}
	mini := scenarioMini(t)
	t.Cleanup(removeEmptyChains())
	registry, slowRegistry := startRegistry(t)
	tlsRegistry, tlsCA := startTLSRegistry(t)
	distribution := startDistribution(t, "", "")
	authRegistry := startDistribution(t, "mini", "secret")
	for _, dir := range stages {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			testscript.Run(t, testscript.Params{
				Dir: dir,
				Setup: func(env *testscript.Env) error {
					env.Setenv("REGISTRY", registry)
					env.Setenv("MULTIDIGEST", multiDigest)
					env.Setenv("MULTIOTHER", multiOther)
					env.Setenv("TLSREGISTRY", tlsRegistry)
					env.Setenv("TLSCA", tlsCA)
					// The stage's folder, for files beside its scenarios.
					if abs, err := filepath.Abs(dir); err == nil {
						env.Setenv("STAGEDIR", abs)
					}
					env.Setenv("SLOWREGISTRY", slowRegistry)
					env.Setenv("DISTRIBUTION", distribution)
					env.Setenv("AUTHREGISTRY", authRegistry)
					// MINI_NETWORK in the environment is for every stage.
					if v := os.Getenv("MINI_NETWORK"); v != "" {
						env.Setenv("MINI_NETWORK", v)
					} else if stage := filepath.Base(dir); stage < "05" {
						// The network is step 05's: the stages before it
						// are graded without one.
						env.Setenv("MINI_NETWORK", "none")
					}
					// MINI_PLAIN=1 make test: the plain path, without
					// the optimisations (internal/fastpath).
					if v := os.Getenv("MINI_PLAIN"); v != "" {
						env.Setenv("MINI_PLAIN", v)
					}
					// Logins go to the scenario's own Docker config.
					env.Setenv("DOCKER_CONFIG", filepath.Join(env.WorkDir, ".docker"))
					withMini(env, mini)
					return setupScenario(env)
				},
				Cmds:                scenarioCommands,
				RequireExplicitExec: true,
			})
		})
	}
}

// setupScenario gives every scenario its own state, so that scenarios run
// in parallel and never see each other's: a root directory for mini under
// its $WORK and a cgroup parent of its own.
//
// Whatever a failed scenario left is cleaned in two steps, because
// testscript interrupts the scenario's background commands after its
// deferred functions and before the test's cleanups: first thaw any paused
// container, so that the interrupt can reach it, and note the user
// networks it made (their records are under $WORK, which testscript
// removes before the cleanups); then, once every mini has exited, sweep
// what they left and remove the parent and the networks.
//
// Besides the default network's subnet ($MINI_SUBNET), a scenario gets a
// second /24 of its own for a user network: $SUBNET2, whose addresses are
// $SUBNET2_PREFIX.N.
func setupScenario(env *testscript.Env) error {
	root := filepath.Join(env.WorkDir, "mini-root")
	parent := "mini-test-" + randomID()
	bridge, subnet := scenarioNetwork()
	_, subnet2 := scenarioNetwork()
	env.Setenv("MINI_ROOT", root)
	env.Setenv("MINI_CGROUP_PARENT", parent)
	env.Setenv("MINI_BRIDGE", bridge)
	env.Setenv("MINI_SUBNET", subnet)
	env.Setenv("SUBNET2", subnet2)
	env.Setenv("SUBNET2_PREFIX", strings.TrimSuffix(subnet2, ".0/24"))
	// Before testscript removes $WORK: thaw paused containers, ask the mini
	// for the networks it made, kill what is still running and unmount what
	// is still mounted, so that removing $WORK never reaches through a
	// mount. After: remove the cgroups and the networks (cleanup_test.go).
	nets := [][2]string{{bridge, subnet}} // bridge and subnet of each network
	env.Defer(func() {
		thawAll(parent)
		for _, n := range userNetworks(env.Getenv) {
			nets = append(nets, [2]string{n.Bridge(), n.Subnet()})
		}
		killScenarioProcesses(env.WorkDir)
		removeAll(parent)
		unmountUnder(env.WorkDir)
	})
	env.T().(interface{ Cleanup(func()) }).Cleanup(func() {
		removeAll(parent)
		for _, n := range nets {
			removeHostNetwork(n[0], n[1])
		}
	})
	return nil
}

// scenarios counts the scenarios set up, for their networks.
var scenarios atomic.Int32

// scenarioNetwork is a bridge and a /24 subnet of the scenario's own, so
// that scenarios running at once never share addresses. A subnet the host
// already routes (a network some earlier run left, say) is skipped: one
// failed run must not make the next fail.
func scenarioNetwork() (bridge, subnet string) {
	for {
		n := scenarios.Add(1)
		subnet = fmt.Sprintf("10.%d.%d.0/24", 200+n/250, n%250)
		if _, ipnet, _ := net.ParseCIDR(subnet); !hostRoutes(ipnet) || n > 5000 {
			return "mt" + randomID(), subnet
		}
	}
}

// hostRoutes says whether the host has a route into subnet, or one that
// holds it (the default route aside).
func hostRoutes(subnet *net.IPNet) bool {
	routes, _ := netlink.RouteList(nil, netlink.FAMILY_V4)
	for _, r := range routes {
		if r.Dst == nil {
			continue
		}
		if ones, _ := r.Dst.Mask.Size(); ones > 0 && (r.Dst.Contains(subnet.IP) || subnet.Contains(r.Dst.IP)) {
			return true
		}
	}
	return false
}

// randomID is ten random hex digits, for names of the scenario's own.
func randomID() string {
	b := make([]byte, 5)
	rand.Read(b)
	return hex.EncodeToString(b)
}
