// mini info: what this machine offers a container runtime, and where mini
// keeps its state (steps/07-runtime/info.go), in docker info's layout:
// a Client section, then a Server section for the runtime, which for a
// daemonless mini is this same program. Students run it first
// (labs/00-preflight.md).

package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
)

func newInfoCommand(g *cli.Options) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "info [OPTIONS]",
		Short: "Display system-wide information",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := cli.Runtime(g.Root).Info(Version)
			if err != nil {
				return err
			}
			in.InitBinary = cli.InitBinary()
			if format != "" {
				return cli.Failed(cli.PrintFormatted(cmd.OutOrStdout(), format, in))
			}
			printInfo(cmd.OutOrStdout(), in)
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format the output: json, or a Go template such as {{.CgroupVersion}}")
	return cmd
}

// printInfo writes docker info's lines, and mini's own facts among them.
func printInfo(w io.Writer, in *runtime.Info) {
	i := &in.Info
	fmt.Fprintf(w, "Client:\n Version: %s\n Debug Mode: false\n\nServer:\n", Version)
	fmt.Fprintf(w, " Containers: %d\n  Running: %d\n  Paused: %d\n  Stopped: %d\n",
		i.Containers, i.ContainersRunning, i.ContainersPaused, i.ContainersStopped)
	fmt.Fprintf(w, " Images: %d\n Server Version: %s\n Storage Driver: %s\n", i.Images, i.ServerVersion, i.Driver)
	for _, kv := range i.DriverStatus {
		fmt.Fprintf(w, "  %s: %s\n", kv[0], kv[1])
	}
	fmt.Fprintf(w, " Overlay Filesystem: %s\n", in.Overlay)
	fmt.Fprintf(w, " Logging Driver: %s\n Cgroup Driver: %s\n", i.LoggingDriver, i.CgroupDriver)
	fmt.Fprintf(w, " Cgroup Version: %s\n Cgroup Layout: %s\n", i.CgroupVersion, in.CgroupLayout)
	fmt.Fprintf(w, " Namespaces: %s\n", strings.Join(in.Namespaces, " "))
	fmt.Fprintln(w, " Security Options:")
	if len(i.SecurityOptions) == 0 {
		fmt.Fprintln(w, "  none (this kernel has no seccomp)")
	}
	for _, opt := range i.SecurityOptions { // name=seccomp,profile=default
		for n, kv := range strings.Split(opt, ",") {
			k, v, _ := strings.Cut(kv, "=")
			if n == 0 {
				fmt.Fprintf(w, "  %s\n", v)
			} else {
				fmt.Fprintf(w, "   %s: %s\n", strings.ToUpper(k[:1])+k[1:], v)
			}
		}
	}
	fmt.Fprintf(w, " Kernel Version: %s\n Operating System: %s\n OSType: %s\n Architecture: %s\n",
		i.KernelVersion, i.OperatingSystem, i.OSType, i.Architecture)
	fmt.Fprintf(w, " CPUs: %d\n Total Memory: %s\n Name: %s\n", i.NCPU,
		cli.HumanSize(float64(i.MemTotal), 1024, []string{"B", "KiB", "MiB", "GiB", "TiB"}, "%.4g"), i.Name)
	fmt.Fprintf(w, " Mini Root Dir: %s\n", i.DockerRootDir)
	bin := i.InitBinary
	if bin == "" {
		bin = "mini itself (no mini-init beside it)"
	}
	fmt.Fprintf(w, " Init Binary: %s\n", bin)
}
