// Command bench times container starts: `mini run --rm IMAGE true` and
// `mini run --rm --rootfs DIR true` many times, and `runc run` on the same
// root filesystem beside them when runc is installed, then prints the
// median and spread of each; then the cost of
// the overlay mount, and export and cp beside tar on a 200 MB tree. It is a benchmark,
// not a test: nothing here passes or fails on a number.
//
//	go run ./tools/bench -mini bin/mini [-n 200] [-starts | -api]
//
// Each case starts a whole container and waits for it to exit, exactly as a
// user would, so the figures include process start-up, namespace creation,
// mounts, exec and teardown.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"

	"github.com/moby/profiles/seccomp"
	"github.com/opencontainers/runtime-spec/specs-go"

	"mini/internal/fixture"
	namespaces "mini/steps/01-namespaces"
)

// benchCase is one command line to time.
type benchCase struct {
	name string
	argv []string
}

func main() {
	mini := flag.String("mini", "bin/mini", "the mini binary to time")
	n := flag.Int("n", 200, "runs per case")
	startsOnly := flag.Bool("starts", false, "time the container starts beside runc, and nothing else")
	apiOnly := flag.Bool("api", false, "time the docker CLI through mini daemon beside dockerd, and nothing else")
	flag.Parse()
	if os.Geteuid() != 0 {
		fmt.Fprintln(os.Stderr, "bench: containers need root: run as root or through sudo")
		os.Exit(1)
	}
	dir, err := os.MkdirTemp("", "mini-bench-")
	if err == nil {
		if *apiOnly {
			err = benchAPI(dir, *mini, *n)
		} else {
			err = bench(dir, *mini, *n, *startsOnly)
		}
		os.RemoveAll(dir)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

// benchAPI is the API's figures alone.
func benchAPI(dir, mini string, n int) error {
	_, root, err := benchImage(dir, mini)
	if err != nil {
		return err
	}
	return apiBench(dir, mini, root, n)
}

// benchImage makes the fixture's root filesystem in dir, and the same as
// the image bench:latest in a state root of its own, for the whole path:
// the image store, the layers, the overlay, the cgroup, the namespaces.
func benchImage(dir, mini string) (rootfs, root string, err error) {
	rootfs, root = filepath.Join(dir, "bundle", "rootfs"), filepath.Join(dir, "root")
	if err := fixture.BusyboxRootfs(rootfs); err != nil {
		return "", "", fmt.Errorf("make rootfs: %w", err)
	}
	if _, err := timeShell(fmt.Sprintf("tar -cf - -C %s . | %s --root %s import - bench:latest > /dev/null", rootfs, mini, root)); err != nil {
		return "", "", fmt.Errorf("import the root filesystem as an image: %w", err)
	}
	return rootfs, root, nil
}

// bench times every case, with its files in dir.
func bench(dir, mini string, n int, startsOnly bool) error {
	rootfs, root, err := benchImage(dir, mini)
	if err != nil {
		return err
	}
	// --net none: runc's default spec gives its container a network
	// namespace with only its loopback; the same here.
	miniRun := func(flags ...string) []string {
		argv := []string{mini, "--root", root, "run", "--rm", "--net", "none", "--rootfs", rootfs}
		return append(append(argv, flags...), "true")
	}
	cases := []benchCase{
		{"mini run --rm IMAGE", []string{mini, "--root", root, "run", "--rm", "--net", "none", "bench:latest", "true"}},
		{"mini run --rm true", miniRun()},
		{"mini no cgroup", miniRun("--cgroups", "disabled")},
		{"mini limits", miniRun("-m", "64m", "--cpus", "1", "--pids-limit", "100")},
		{"mini unconfined", miniRun("--security-opt", "seccomp=unconfined")},
	}
	if runc, err := exec.LookPath("runc"); err == nil {
		// runc with Docker's seccomp filter, as Docker runs it and as mini
		// runs its containers; and without, as runc's own default spec.
		for _, b := range []struct {
			name, bundle string
			seccomp      bool
		}{{"runc run true", "bundle", true}, {"runc no seccomp", "bundle-plain", false}} {
			bundle := filepath.Join(dir, b.bundle)
			if err := writeRuncConfig(runc, bundle, rootfs, b.seccomp); err != nil {
				return fmt.Errorf("runc spec: %w", err)
			}
			cases = append(cases, benchCase{b.name, []string{runc, "--root", filepath.Join(dir, "runc-state"), "run", "-b", bundle, b.bundle}})
		}
	} else {
		fmt.Println("runc not installed (apt-get install runc): timing mini alone")
	}
	fmt.Printf("%-18s %6s %9s %9s %9s %9s\n", "CASE", "RUNS", "MEDIAN", "P10", "P90", "MIN")
	// Cases run interleaved, round by round, so that a slow moment of the
	// machine falls on all of them alike.
	times, err := timeCases(cases, n)
	if err != nil {
		return err
	}
	medians := map[string]time.Duration{}
	for i, c := range cases {
		d := times[i]
		medians[c.name] = d[len(d)/2]
		fmt.Printf("%-18s %6d %9s %9s %9s %9s\n", c.name, len(d), ms(d[len(d)/2]), ms(d[len(d)/10]), ms(d[len(d)*9/10]), ms(d[0]))
	}
	if r, ok := medians["runc run true"]; ok {
		fmt.Printf("mini/runc median ratio: %.2f for IMAGE, %.2f for --rootfs DIR (target: at most 0.50)\n",
			float64(medians["mini run --rm IMAGE"])/float64(r), float64(medians["mini run --rm true"])/float64(r))
		fmt.Printf("without seccomp, mini/runc: %.2f (mini unconfined beside runc no seccomp)\n",
			float64(medians["mini unconfined"])/float64(medians["runc no seccomp"]))
	}
	fmt.Printf("cgroup setup and removal: %s (median with limits minus without a cgroup; target under 2ms)\n",
		ms(medians["mini limits"]-medians["mini no cgroup"]))
	fmt.Printf("seccomp filter: %s (median with Docker's default profile minus unconfined; target at most 0.5ms)\n",
		ms(medians["mini run --rm true"]-medians["mini unconfined"]))
	if startsOnly {
		return nil
	}
	ov, err := overlayCost(filepath.Join(dir, "overlays"), rootfs, n)
	if err != nil {
		return err
	}
	fmt.Printf("overlay mount and unmount: %s median (target under 2ms)\n", ms(ov))
	if err := throughput(dir, mini, rootfs); err != nil {
		return err
	}
	if err := runtimeBench(dir, mini, rootfs, n); err != nil {
		return err
	}
	if _, err := exec.LookPath("iptables"); err == nil {
		if err := networkBench(dir, mini, rootfs, n); err != nil {
			return err
		}
	}
	if err := buildBench(dir, mini, rootfs); err != nil {
		return err
	}
	if err := imageBench(dir, mini); err != nil {
		return err
	}
	return apiBench(dir, mini, root, n)
}

// timeCases runs every case n times, after a few warm-up rounds, and
// returns each case's sorted durations. Each round starts one case further
// on: the kernel finishes some of a container's teardown after its runtime
// has returned (the network namespace, most of all), and whichever case
// comes next pays for it; rotating spreads that over all of them.
func timeCases(cases []benchCase, n int) ([][]time.Duration, error) {
	const warmup = 5
	times := make([][]time.Duration, len(cases))
	for round := 0; round < n+warmup; round++ {
		for k := range cases {
			i := (round + k) % len(cases)
			c := cases[i]
			start := time.Now()
			if out, err := exec.Command(c.argv[0], c.argv[1:]...).CombinedOutput(); err != nil {
				return nil, fmt.Errorf("%s: %v\n%s", c.name, err, out)
			}
			if round >= warmup {
				times[i] = append(times[i], time.Since(start))
			}
		}
	}
	for _, d := range times {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	}
	return times, nil
}

// writeRuncConfig makes runc's default config.json for the bundle and
// changes it to run `true` without a terminal, in rootfs, with Docker's
// seccomp filter or none.
func writeRuncConfig(runc, bundle, rootfs string, withSeccomp bool) error {
	if err := os.MkdirAll(bundle, 0o755); err != nil {
		return err
	}
	cmd := exec.Command(runc, "spec", "--bundle", bundle)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	path := filepath.Join(bundle, "config.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var spec map[string]any
	if err := json.Unmarshal(data, &spec); err != nil {
		return err
	}
	process := spec["process"].(map[string]any)
	process["terminal"] = false
	process["args"] = []string{"true"}
	spec["root"].(map[string]any)["path"] = rootfs
	if withSeccomp { // runc's default spec has none
		filter, err := seccomp.GetDefaultProfile(&specs.Spec{Process: &specs.Process{
			Capabilities: &specs.LinuxCapabilities{Bounding: namespaces.DefaultCapabilities}}})
		if err != nil {
			return err
		}
		spec["linux"].(map[string]any)["seccomp"] = filter
	}
	data, _ = json.MarshalIndent(spec, "", "  ")
	return os.WriteFile(path, data, 0o644)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
