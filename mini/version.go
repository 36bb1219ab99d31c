// mini version: which mini this is and what built it.

package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is mini's release; stage by stage, it follows the labs.
const Version = "0.1.0"

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Show the mini version information",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Version:    %s\n", Version)
			fmt.Fprintf(w, "Go version: %s\n", runtime.Version())
			fmt.Fprintf(w, "Git commit: %s\n", gitCommit())
			fmt.Fprintf(w, "OS/Arch:    %s/%s\n", runtime.GOOS, runtime.GOARCH)
		},
	}
}

// gitCommit is the commit the binary was built from, when go build knew it.
func gitCommit() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Key) > 0 {
			return s.Value[:min(12, len(s.Value))]
		}
	}
	return "unknown"
}
