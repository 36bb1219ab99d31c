// mini create, start, stop, kill, restart: a container's life after run,
// each step through its supervisor.

package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	namespaces "mini/steps/01-namespaces"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

func newCreateCommand(g *cli.Options) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "create [OPTIONS] IMAGE|--rootfs DIR [COMMAND] [ARG...]",
		Short: "Create a new container, without starting it",
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			cg, err := o.cgroupJob(f.Changed("cpus"))
			if err != nil {
				return cli.WithStatus(namespaces.ExitRuntime, err)
			}
			c, _, err := createFromFlags(g, o, runtime.NewID(), cg, args, f.Changed("entrypoint"))
			if err != nil {
				return cli.WithStatus(namespaces.ExitRuntime, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), c.ID)
			return nil
		},
	}
	addContainerFlags(cmd.Flags(), o)
	cmd.Flags().Bool("help", false, "help for create")
	return cmd
}

func newStartCommand(g *cli.Options) *cobra.Command {
	var attach, interactive bool
	cmd := &cobra.Command{
		Use: "start [OPTIONS] CONTAINER [CONTAINER...]", Short: "Start one or more stopped containers", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			supervisor.Sweep(g.Root)
			if attach {
				if len(args) > 1 {
					return cli.WithStatus(1, fmt.Errorf("you cannot start and attach multiple containers at once"))
				}
				return startAttachedRef(g.Root, args[0], interactive)
			}
			return eachArg(cmd, args, func(ref string) error { return startRef(g.Root, ref) })
		},
	}
	cmd.Flags().BoolVarP(&attach, "attach", "a", false, "attach to the container's output, and return its exit status")
	cmd.Flags().BoolVarP(&interactive, "interactive", "i", false, "attach the container's stdin")
	return cmd
}

// startRef starts a stopped container in the background; a running one is
// left as it is, as Docker does.
func startRef(root, ref string) error {
	if err := cli.Runtime(root).Start(ref); err != nil {
		return fmt.Errorf("start %s: %w", ref, err)
	}
	return nil
}

// startAttachedRef is start -a: the container's output, and its status.
func startAttachedRef(root, ref string, interactive bool) error {
	p, err := cli.Runtime(root).Ready(ref)
	if err != nil {
		return cli.WithStatus(1, err)
	}
	if p == nil {
		return cli.WithStatus(1, fmt.Errorf("container %s is already running: use mini attach", ref))
	}
	proxy := startSignalProxy()
	defer proxy.stop()
	job := &p.Job
	streams := streamSet{stdin: interactive && job.OpenStdin, stdout: true, stderr: true}
	p.Event("attach")
	return startAttached(p.Supervisor, job, sessionOptions{streams: streams, tty: job.Spec.Tty, proxy: proxy}, memoryOf(job))
}

func memoryOf(job *supervisor.Job) string {
	if job.Cgroup != nil {
		return job.Cgroup.Memory
	}
	return ""
}

func newStopCommand(g *cli.Options) *cobra.Command {
	var seconds int
	cmd := &cobra.Command{
		Use: "stop [OPTIONS] CONTAINER [CONTAINER...]", Short: "Stop one or more running containers", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			supervisor.Sweep(g.Root)
			return eachArg(cmd, args, func(ref string) error {
				return cli.Runtime(g.Root).Stop(ref, time.Duration(seconds)*time.Second)
			})
		},
	}
	cmd.Flags().IntVarP(&seconds, "time", "t", 10, "seconds to wait for it to stop before killing it")
	return cmd
}

func newKillCommand(g *cli.Options) *cobra.Command {
	var signal string
	cmd := &cobra.Command{
		Use: "kill [OPTIONS] CONTAINER [CONTAINER...]", Short: "Kill one or more running containers", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sig, err := runtime.ParseSignal(signal)
			if err != nil {
				return cli.WithStatus(1, err)
			}
			supervisor.Sweep(g.Root)
			return eachArg(cmd, args, func(ref string) error { return cli.Runtime(g.Root).Kill(ref, sig) })
		},
	}
	cmd.Flags().StringVarP(&signal, "signal", "s", "KILL", "signal to send: a name (KILL, SIGTERM, HUP) or a number")
	return cmd
}

func newRestartCommand(g *cli.Options) *cobra.Command {
	var seconds int
	cmd := &cobra.Command{
		Use: "restart [OPTIONS] CONTAINER [CONTAINER...]", Short: "Restart one or more containers", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			supervisor.Sweep(g.Root)
			return eachArg(cmd, args, func(ref string) error {
				return cli.Runtime(g.Root).Restart(ref, time.Duration(seconds)*time.Second)
			})
		},
	}
	cmd.Flags().IntVarP(&seconds, "time", "t", 10, "seconds to wait for it to stop before killing it")
	return cmd
}
