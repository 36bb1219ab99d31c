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
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"mini": func() { os.Exit(Main()) },
	})
}

func TestScripts(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the scenarios start real containers and need root: run `sudo make test`")
	}
	stages, err := filepath.Glob(filepath.Join("..", "testdata", "*"))
	if err != nil || len(stages) == 0 {
		t.Fatalf("no scenario folders under testdata/: %v", err)
	}
	for _, dir := range stages {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			testscript.Run(t, testscript.Params{
				Dir:                 dir,
				Setup:               setupScenario,
				Cmds:                scenarioCommands,
				RequireExplicitExec: true,
			})
		})
	}
}

// setupScenario gives every scenario its own state: a root directory for
// mini under its $WORK, so that scenarios never see each other's state.
func setupScenario(env *testscript.Env) error {
	env.Setenv("MINI_ROOT", filepath.Join(env.WorkDir, "mini-root"))
	return nil
}
