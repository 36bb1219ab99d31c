// mini info: what this machine offers a container runtime, and where mini
// keeps its state. Students run it first (labs/00-preflight.md).

package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"mini/mini/cli"
	cgroups "mini/steps/02-cgroups"
)

func newInfoCommand(g *cli.Options) *cobra.Command {
	return &cobra.Command{
		Use:   "info",
		Short: "Display system-wide information",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printInfo(cmd.OutOrStdout(), g)
		},
	}
}

func printInfo(w io.Writer, g *cli.Options) error {
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		return fmt.Errorf("uname: %w", err)
	}
	layout, err := cgroups.DetectLayout()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Kernel Version: %s\n", unix.ByteSliceToString(uts.Release[:]))
	fmt.Fprintf(w, "Operating System: %s\n", osName())
	fmt.Fprintf(w, "Architecture: %s\n", runtime.GOARCH)
	fmt.Fprintf(w, "CPUs: %d\n", runtime.NumCPU())
	fmt.Fprintf(w, "Cgroup Version: %d\n", layout.Version())
	fmt.Fprintf(w, "Cgroup Layout: %s\n", layout)
	fmt.Fprintf(w, "Overlay Filesystem: %s\n", overlaySupport())
	fmt.Fprintf(w, "Namespaces: %s\n", strings.Join(namespaceKinds(), " "))
	fmt.Fprintf(w, "Security Options: %s\n", securityOptions())
	fmt.Fprintf(w, "Mini Root Dir: %s\n", g.Root)
	bin := cli.InitBinary()
	if bin == "" {
		bin = "mini itself (no mini-init beside it)"
	}
	fmt.Fprintf(w, "Init Binary: %s\n", bin)
	return nil
}

// securityOptions is what confines a container by default, as Docker's
// info names it: seccomp with Docker's default profile, where the kernel
// has seccomp filters.
func securityOptions() string {
	if _, err := unix.PrctlRetInt(unix.PR_GET_SECCOMP, 0, 0, 0, 0); err != nil {
		return "none (this kernel has no seccomp)"
	}
	return "name=seccomp,profile=default"
}

// osName is PRETTY_NAME from /etc/os-release.
func osName() string {
	f, err := os.Open("/etc/os-release")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "PRETTY_NAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return "unknown"
}

// overlaySupport says whether the kernel has overlayfs loaded. It may be
// a module not loaded yet; mounting one loads it.
func overlaySupport() string {
	data, err := os.ReadFile("/proc/filesystems")
	if err == nil && strings.Contains(string(data), "\toverlay\n") {
		return "supported"
	}
	return "not loaded (try: modprobe overlay)"
}

// namespaceKinds lists the namespaces this kernel has, from /proc/self/ns.
func namespaceKinds() []string {
	entries, err := os.ReadDir("/proc/self/ns")
	if err != nil {
		return []string{"unknown"}
	}
	var kinds []string
	for _, e := range entries {
		kinds = append(kinds, e.Name())
	}
	return kinds
}
