// mini version: which mini this is and what built it, in docker
// version's two sections. mini has no daemon, so the Server's engine is
// this same program; its API version is the Engine API whose shapes mini
// prints (inspect, events, info).

package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/docker/docker/api/types"
	"github.com/spf13/cobra"

	"mini/mini/cli"
)

// Version is mini's release (mini/cli/version.go).
const Version = cli.Version

// APIVersion is the Engine API version whose shapes mini follows (Docker
// 20.10's).
const APIVersion = "1.41"

// versionInfo is docker version's object, so that --format reads the
// same fields: {{.Client.Version}}, {{.Server.Version}}.
type versionInfo struct {
	Client clientVersion
	Server *types.Version
}

type clientVersion struct {
	Platform   struct{ Name string } `json:",omitempty"`
	Version    string
	APIVersion string `json:"ApiVersion"`
	GitCommit  string
	GoVersion  string
	Os         string
	Arch       string
	BuildTime  string `json:",omitempty"`
}

func newVersionCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version [OPTIONS]",
		Short: "Show the mini version information",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := currentVersion()
			if format != "" {
				return cli.PrintFormatted(cmd.OutOrStdout(), format, v)
			}
			printVersion(cmd.OutOrStdout(), v)
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format the output: json, or a Go template such as {{.Client.Version}}")
	return cmd
}

func currentVersion() versionInfo {
	c := clientVersion{Version: Version, APIVersion: APIVersion, GitCommit: gitCommit(),
		GoVersion: runtime.Version(), Os: runtime.GOOS, Arch: runtime.GOARCH}
	c.Platform.Name = "mini"
	s := &types.Version{Version: Version, APIVersion: APIVersion, MinAPIVersion: APIVersion, GitCommit: c.GitCommit,
		GoVersion: c.GoVersion, Os: c.Os, Arch: c.Arch, Components: []types.ComponentVersion{{Name: "Engine", Version: Version}}}
	s.Platform.Name = "mini"
	return versionInfo{Client: c, Server: s}
}

func printVersion(w io.Writer, v versionInfo) {
	fmt.Fprintf(w, "Client: %s\n", v.Client.Platform.Name)
	fmt.Fprintf(w, " Version:           %s\n", v.Client.Version)
	fmt.Fprintf(w, " API version:       %s\n", v.Client.APIVersion)
	fmt.Fprintf(w, " Go version:        %s\n", v.Client.GoVersion)
	fmt.Fprintf(w, " Git commit:        %s\n", v.Client.GitCommit)
	fmt.Fprintf(w, " OS/Arch:           %s/%s\n", v.Client.Os, v.Client.Arch)
	fmt.Fprintf(w, "\nServer: %s\n Engine:\n", v.Server.Platform.Name)
	fmt.Fprintf(w, "  Version:          %s\n", v.Server.Version)
	fmt.Fprintf(w, "  API version:      %s (minimum version %s)\n", v.Server.APIVersion, v.Server.MinAPIVersion)
	fmt.Fprintf(w, "  Go version:       %s\n", v.Server.GoVersion)
	fmt.Fprintf(w, "  Git commit:       %s\n", v.Server.GitCommit)
	fmt.Fprintf(w, "  OS/Arch:          %s/%s\n", v.Server.Os, v.Server.Arch)
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
