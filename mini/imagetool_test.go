package main

import (
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
