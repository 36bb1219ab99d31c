// The command tree. Every subcommand lives in a file of its own; this one
// holds what they share: the global flags and the way bad usage is reported.

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"mini/mini/cli"
)

// newRootCommand builds mini's command tree.
func newRootCommand() *cobra.Command {
	g := &cli.Options{}
	root := cli.NewRoot(g, "A small container runtime, written to be read")
	// mini --version, in docker --version's words.
	root.Version = Version
	root.SetVersionTemplate(fmt.Sprintf("mini version {{.Version}}, build %s\n", gitCommit()))
	root.Flags().BoolP("version", "v", false, "print version information and quit")
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
		newDaemonCommand(), // daemon.go: the Engine API (step 08), served by mini-daemon
		newVersionCommand(),
	)
	root.AddCommand(imageToolCommands()...) // imagetool.go
	root.AddCommand(cli.HiddenCommands()...)
	cli.AddCompletions(root, g)
	root.AddCommand(cli.DocsCommand(root)) // for make man (tools/genman)
	return root
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
