// Command grade grades a mini: it runs one stage's scenarios
// (testdata/NN-*) against the binary it is given, through the public
// command line only, and prints one line per scenario and a score.
//
//	sudo go run ./tools/grade -stage 01 -mini /path/to/mini [-testdata DIR]
//	make grade STAGE=01 MINI=/path/to/mini
//
// The binary may be any runtime that follows mini's command line
// (testdata/README.md is the contract); mini-init, mini-shim,
// mini-image and mini-daemon, if it has them, are looked for beside it. It runs the
// scenario harness (package grader) with $MINI naming the binary, and
// reads go test's JSON events. Its exit status is 0 only for a full score.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// event is the part of a go test -json line the grader reads.
type event struct {
	Action string
	Test   string
	Output string
}

func main() {
	stage := flag.String("stage", "", "the stage to grade: 01, 02, ... (its folder's number)")
	mini := flag.String("mini", "bin/mini", "the mini binary to grade")
	testdata := flag.String("testdata", "", "the folder of stage folders (default: this tree's testdata)")
	verbose := flag.Bool("v", false, "show each failed scenario's log")
	flag.Parse()
	if *stage == "" {
		fmt.Fprintln(os.Stderr, "grade: -stage NN is needed, such as -stage 01")
		os.Exit(2)
	}
	bin, err := filepath.Abs(*mini)
	if err == nil {
		_, err = os.Stat(bin)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "grade: the mini to grade: %v\n", err)
		os.Exit(2)
	}
	results, logs, err := run(*stage, bin, *testdata)
	if err != nil {
		fmt.Fprintf(os.Stderr, "grade: %v\n", err)
		os.Exit(2)
	}
	if len(results) == 0 {
		fmt.Fprintf(os.Stderr, "grade: no scenario of stage %s ran: is there a testdata/%s-* folder, and are you root?\n", *stage, *stage)
		os.Exit(2)
	}
	os.Exit(report(*stage, results, logs, *verbose))
}

// run runs the stage's scenarios and returns each one's result ("pass",
// "fail" or "skip"), by scenario name, and the failed ones' output.
func run(stage, bin, testdata string) (map[string]string, map[string]string, error) {
	cmd := exec.Command(goCommand(), "test", "-json", "-count=1", "-run", "TestScripts/"+stage, "./grader")
	cmd.Env = append(os.Environ(), "MINI="+bin)
	if testdata != "" {
		abs, err := filepath.Abs(testdata)
		if err != nil {
			return nil, nil, err
		}
		cmd.Env = append(cmd.Env, "MINI_TESTDATA="+abs)
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("go test: %w", err)
	}
	results, logs := map[string]string{}, map[string]string{}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		parts := strings.Split(e.Test, "/")
		if len(parts) != 3 { // TestScripts/STAGE/SCENARIO
			continue
		}
		name := parts[1] + "/" + parts[2]
		switch e.Action {
		case "pass", "fail", "skip":
			results[name] = e.Action
		case "output":
			logs[name] += e.Output
		}
	}
	cmd.Wait() // go test fails when a scenario does: the results say which
	return results, logs, sc.Err()
}

// goCommand is the go command: on PATH, or else the one that built the
// grader (sudo's secure PATH often lacks Go's directory).
func goCommand() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// report prints a line per scenario and the score, and returns the exit
// status: 0 for a full score.
func report(stage string, results, logs map[string]string, verbose bool) int {
	names := make([]string, 0, len(results))
	for n := range results {
		names = append(names, n)
	}
	sort.Strings(names)
	passed, graded := 0, 0
	for _, n := range names {
		r := results[n]
		fmt.Printf("%-4s %s\n", r, n)
		if r == "skip" {
			continue
		}
		graded++
		if r == "pass" {
			passed++
		} else if verbose {
			fmt.Print(indent(logs[n]))
		}
	}
	fmt.Printf("stage %s: %d/%d passed\n", stage, passed, graded)
	if passed != graded {
		return 1
	}
	return 0
}

func indent(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if line != "" {
			b.WriteString("     " + line)
		}
	}
	return b.String()
}
