package main

import (
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"testing"

	"mini/mini/cli"
	"mini/mini/imagecli"
)

// mini's list of the image commands must say what mini-image's commands
// themselves say.
func TestImageToolListMatchesTheCommands(t *testing.T) {
	cmds := map[string][2]string{}
	for _, c := range imagecli.Commands(&cli.Options{}) {
		cmds[c.Name()] = [2]string{c.Use, c.Short}
	}
	if len(cmds) != len(imageTools) {
		t.Errorf("%d image commands, %d in mini's list", len(cmds), len(imageTools))
	}
	for _, tool := range imageTools {
		name, _, _ := strings.Cut(tool.use, " ")
		if got, ok := cmds[name]; !ok || got != [2]string{tool.use, tool.short} {
			t.Errorf("mini's list has %q %q; the command has %q", tool.use, tool.short, got)
		}
	}
}

// The mini command links neither the registry client and the Dockerfile
// parser (mini-image's) nor an HTTP server (mini-daemon's): each costs
// every mini command its start (imagetool.go, siblings.go).
func TestMiniLinksNoSiblingsPackages(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(goruntime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(goBin, "list", "-deps", "mini/mini").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, heavy := range []string{"net/http", "github.com/google/go-containerregistry/pkg/v1/remote", "github.com/moby/buildkit/frontend/dockerfile/parser"} {
		for _, dep := range strings.Fields(string(out)) {
			if dep == heavy {
				t.Errorf("mini links %s", heavy)
			}
		}
	}
}
