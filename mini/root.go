// The command tree. Every subcommand lives in a file of its own; this one
// holds what they share: the global flags and the way bad usage is reported.

package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	namespaces "mini/steps/01-namespaces"
	"mini/steps/07-runtime/supervisor"
)

// globalOptions are the flags every command accepts.
type globalOptions struct {
	root string // where all state lives (images, containers, volumes)
}

// defaultRoot is --root's default: $MINI_ROOT, else /var/lib/mini.
func defaultRoot() string {
	if r := os.Getenv("MINI_ROOT"); r != "" {
		return r
	}
	return "/var/lib/mini"
}

// newRootCommand builds mini's command tree.
func newRootCommand() *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:           "mini",
		Short:         "A small container runtime, written to be read",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.root, "root", defaultRoot(), "directory for mini's state (env MINI_ROOT)")
	root.SetFlagErrorFunc(usageError)
	root.AddCommand(
		newRunCommand(g),
		newCreateCommand(g),
		newStartCommand(g),
		newStopCommand(g),
		newKillCommand(g),
		newRestartCommand(g),
		newLogsCommand(g),
		newAttachCommand(g),
		newExecCommand(g),
		newEventsCommand(g),
		newRenameCommand(g),
		newTopCommand(g),
		newPortCommand(g),
		newNetworkCommand(g),
		newStatsCommand(g),
		newPauseCommand(g),
		newUnpauseCommand(g),
		newDiffCommand(g),
		newRmCommand(g),
		newExportCommand(g),
		newCpCommand(g),
		newTagCommand(g),
		newRmiCommand(g),
		newHistoryCommand(g),
		newImageCommand(g),
		newInspectCommand(g),
		newPsCommand(g),
		newWaitCommand(g),
		newContainerCommand(g),
		newVolumeCommand(g),
		newInfoCommand(g),
		newVersionCommand(),
	)
	root.AddCommand(imageToolCommands(g)...) // imagetool.go
	root.AddCommand(hiddenCommands()...)
	return root
}

// usageError turns a flag parsing error into one line with a pointer to the
// help, and Docker's status 125.
func usageError(cmd *cobra.Command, err error) error {
	return withStatus(namespaces.ExitRuntime, fmt.Errorf("%v (see '%s --help')", err, cmd.CommandPath()))
}

// hiddenCommands are the entry points of mini running itself for another
// role, when the small program for that role is not installed beside it:
// a container's first process ("mini init", steps/01-namespaces; never
// returns), mini exec's helper ("mini enter", enter.go; never returns) and
// a container's supervisor ("mini shim", steps/07-runtime/supervisor).
func hiddenCommands() []*cobra.Command {
	roles := []struct {
		use string
		run func()
	}{
		{namespaces.InitCommand, namespaces.Init},
		{namespaces.EnterCommand, namespaces.EnterInit},
		{supervisor.Command, func() { os.Exit(supervisor.Main()) }},
	}
	var cmds []*cobra.Command
	for _, r := range roles {
		run := r.run
		cmds = append(cmds, &cobra.Command{Use: r.use, Hidden: true, DisableFlagParsing: true,
			Run: func(*cobra.Command, []string) { run() }})
	}
	return cmds
}

// eachArg applies op to every argument, printing each one that succeeds as
// Docker does, and goes on past failures; any failure makes the exit status 1.
func eachArg(cmd *cobra.Command, args []string, op func(ref string) error) error {
	return eachArgQuiet(args, func(ref string) error {
		if err := op(ref); err != nil {
			return err
		}
		fmt.Fprintln(cmd.OutOrStdout(), ref)
		return nil
	})
}
