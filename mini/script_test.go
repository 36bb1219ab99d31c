// The scenario harness. Each folder testdata/<stage> holds testscript
// scenarios (*.txtar) that drive the mini command as students and graders
// do; each folder is one subtest, so
//
//	go test ./mini -run 'TestScripts/01'
//
// runs stage 01 alone. The test binary doubles as the mini command:
// testscript puts a copy named "mini" on the scenarios' PATH, and running it
// calls Main. Containers need root, so the scenarios are skipped without it.
package main

import (
	"cmp"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	network "mini/steps/05-network"
	engine "mini/steps/07-runtime"

	"github.com/rogpeppe/go-internal/testscript"

	cgroups "mini/steps/02-cgroups"
	"mini/steps/07-runtime/supervisor"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"mini": func() { os.Exit(Main()) },
	})
}

// buildHelper makes mini-init, mini-shim or mini-image (the package pkg)
// for the scenarios (the test binary stands in for mini, and has none
// beside it), unless the environment variable env names one already (make
// test's, the VM's).
func buildHelper(t *testing.T, env, name, pkg string) string {
	if p := os.Getenv(env); p != "" {
		return p
	}
	out := filepath.Join(t.TempDir(), "mini-"+name)
	goBin, err := exec.LookPath("go")
	if err != nil { // sudo's PATH often lacks Go: use the one that built this test
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(goBin, "build", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build mini-%s: %v\n%s", name, err, msg)
	}
	return out
}

// gradedMini is the directory of a mini named by $MINI, the binary a
// grader grades (make grade, tools/grade): put first on the scenarios'
// PATH, it is the mini they run, in place of this test binary. "" when
// $MINI is not set.
func gradedMini(t *testing.T) string {
	bin := os.Getenv("MINI")
	if bin == "" {
		return ""
	}
	abs, err := filepath.Abs(bin)
	if err == nil {
		_, err = os.Stat(abs)
	}
	if err != nil {
		t.Fatalf("MINI=%s: %v", bin, err)
	}
	dir := t.TempDir()
	if err := os.Symlink(abs, filepath.Join(dir, "mini")); err != nil {
		t.Fatal(err)
	}
	return dir
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
	graded := gradedMini(t)
	initBin := buildHelper(t, "MINI_INIT", "init", "mini/mini/init")
	shimBin := buildHelper(t, "MINI_SHIM", "shim", "mini/mini/shim")
	imageBin := buildHelper(t, "MINI_IMAGE", "image", "mini/mini/image")
	registry, slowRegistry := startRegistry(t)
	distribution := startDistribution(t, "", "")
	authRegistry := startDistribution(t, "mini", "secret")
	for _, dir := range stages {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			testscript.Run(t, testscript.Params{
				Dir: dir,
				Setup: func(env *testscript.Env) error {
					if graded == "" { // a graded mini brings its own
						env.Setenv("MINI_INIT", initBin)
						env.Setenv("MINI_SHIM", shimBin)
						env.Setenv("MINI_IMAGE", imageBin)
					}
					env.Setenv("REGISTRY", registry)
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
					if graded != "" { // the binary being graded is the scenarios' mini
						env.Setenv("PATH", graded+string(os.PathListSeparator)+env.Getenv("PATH"))
					}
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
	parent := "mini-test-" + engine.NewID()[:10]
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
	// mount. After: remove the cgroups and the networks (cleanup.go).
	nets := [][2]string{{bridge, subnet}} // bridge and subnet of each network
	env.Defer(func() {
		thawAll(parent)
		for _, n := range userNetworks(env.Getenv) {
			nets = append(nets, [2]string{n.Bridge(), n.Subnet()})
		}
		killScenarioProcesses(root)
		removeAll(parent)
		unmountUnder(env.WorkDir)
	})
	env.T().(interface{ Cleanup(func()) }).Cleanup(func() {
		removeAll(parent)
		for _, n := range nets {
			removeHostNetwork(n[0], n[1])
			// The reference keeps its rules in chains of its own, removed
			// once empty, under its lock: let it remove them too.
			supervisor.RemoveNetwork(n[0], n[1])
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
		if _, ipnet, _ := net.ParseCIDR(subnet); network.CheckSubnet(ipnet, "") == nil || n > 5000 {
			return "mt" + engine.NewID()[:10], subnet
		}
	}
}

// removeAll removes every container group under parent, then the parent.
// It runs when no mini of the scenario is left, so nothing there is alive.
func removeAll(parent string) {
	names, _ := cgroups.List(parent)
	for _, name := range names {
		if g, err := cgroups.Load(parent, name); err == nil {
			g.Kill()
			g.Destroy()
		}
	}
	cgroups.RemoveParent(parent)
}

// thawAll thaws every container group under parent.
func thawAll(parent string) {
	names, _ := cgroups.List(parent)
	for _, name := range names {
		if g, err := cgroups.Load(parent, name); err == nil {
			g.Thaw()
		}
	}
}
