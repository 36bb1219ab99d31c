// The command tree. Every subcommand lives in a file of its own; this one
// holds what they share: the global flags and the way bad usage is reported.

package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"mini/mini/supervisor"
	namespaces "mini/steps/01-namespaces"
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
		newPullCommand(g),
		newImagesCommand(g),
		newTagCommand(g),
		newRmiCommand(g),
		newHistoryCommand(g),
		newImageCommand(g),
		newInspectCommand(g),
		newPsCommand(g),
		newWaitCommand(g),
		newContainerCommand(g),
		newPushCommand(g),
		newSaveCommand(g),
		newLoadCommand(g),
		newCommitCommand(g),
		newImportCommand(g),
		newLoginCommand(),
		newLogoutCommand(),
		newSearchCommand(),
		newVolumeCommand(g),
		newInfoCommand(g),
		newVersionCommand(),
		newInitCommand(),
		newShimCommand(),
		newEnterCommand(),
	)
	return root
}

// usageError turns a flag parsing error into one line with a pointer to the
// help, and Docker's status 125.
func usageError(cmd *cobra.Command, err error) error {
	return withStatus(namespaces.ExitRuntime, fmt.Errorf("%v (see '%s --help')", err, cmd.CommandPath()))
}

// newInitCommand is the hidden entry point of a container's first process:
// mini runs itself again as "mini init" inside new namespaces (see
// steps/01-namespaces). Init never returns.
func newInitCommand() *cobra.Command {
	return &cobra.Command{
		Use:                namespaces.InitCommand,
		Hidden:             true,
		DisableFlagParsing: true,
		Run:                func(*cobra.Command, []string) { namespaces.Init() },
	}
}

// newEnterCommand is the hidden entry point of mini exec's helper, when
// mini runs itself for it (see steps/01-namespaces/enter.go).
func newEnterCommand() *cobra.Command {
	return &cobra.Command{
		Use:                namespaces.EnterCommand,
		Hidden:             true,
		DisableFlagParsing: true,
		Run:                func(*cobra.Command, []string) { namespaces.EnterInit() },
	}
}

// newShimCommand is the hidden entry point of a container's supervisor
// when mini-shim is not installed: mini runs itself as "mini shim".
func newShimCommand() *cobra.Command {
	return &cobra.Command{
		Use:                supervisor.Command,
		Hidden:             true,
		DisableFlagParsing: true,
		Run:                func(*cobra.Command, []string) { os.Exit(supervisor.Main()) },
	}
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
