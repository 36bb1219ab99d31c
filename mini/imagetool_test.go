//go:build !slim

package main

import (
	"strings"
	"testing"
)

// The slim mini's list of image commands must say what the commands
// themselves say.
func TestImageToolListMatchesTheCommands(t *testing.T) {
	cmds := map[string][2]string{}
	for _, c := range imageToolCommands(&globalOptions{}) {
		cmds[c.Name()] = [2]string{c.Use, c.Short}
	}
	if len(cmds) != len(imageTools) {
		t.Errorf("%d image commands, %d in the slim list", len(cmds), len(imageTools))
	}
	for _, tool := range imageTools {
		name, _, _ := strings.Cut(tool.use, " ")
		if got, ok := cmds[name]; !ok || got != [2]string{tool.use, tool.short} {
			t.Errorf("slim list has %q %q; the command has %q", tool.use, tool.short, got)
		}
	}
}
