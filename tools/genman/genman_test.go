package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The pages come from the built programs: mini's own commands with their
// flags, the image commands with mini-image's, and the state root's
// default rather than this shell's $MINI_ROOT.
func TestGenerate(t *testing.T) {
	mini, image, daemon := os.Getenv("MINI"), os.Getenv("MINI_IMAGE"), os.Getenv("MINI_DAEMON")
	if mini == "" || image == "" || daemon == "" {
		t.Skip("needs the built programs: make test names them in $MINI, $MINI_IMAGE and $MINI_DAEMON")
	}
	t.Setenv("MINI_ROOT", "/somewhere/else")
	out := t.TempDir()
	n, err := generate(mini, []string{image, daemon}, out)
	if err != nil {
		t.Fatal(err)
	}
	if n < 80 {
		t.Errorf("%d pages, want one per command (80 or more)", n)
	}
	for page, want := range map[string][]string{
		"mini-run.1":      {"--memory", "--log-opt", "EXAMPLE"},
		"mini-build.1":    {"--build-arg", "--target"},    // a flag mini-image has
		"mini-image-ls.1": {"--digests", "/var/lib/mini"}, // in the image group too
		"mini-ps.1":       {"--format", "--filter"},
		"mini-daemon.1":   {"--host", "unix:///run/mini.sock"}, // mini-daemon's
	} {
		data, err := os.ReadFile(filepath.Join(out, page))
		if err != nil {
			t.Error(err)
			continue
		}
		for _, w := range want {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s lacks %q", page, w)
			}
		}
		if strings.Contains(string(data), "/somewhere/else") {
			t.Errorf("%s has this shell's $MINI_ROOT as the default", page)
		}
	}
}
