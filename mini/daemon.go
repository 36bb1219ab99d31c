// mini daemon is served by a program of its own, mini-daemon (mini/daemon,
// with the command in mini/daemoncli): an HTTP server is much to link, and
// the mini command starts faster without it (siblings.go). The same
// program is the API's other end: with a daemon to talk to (-H,
// $MINI_HOST, $DOCKER_HOST), every mini command is served by it, as a
// client (mini/remote).

package main

import "github.com/spf13/cobra"

// daemonTool is mini-daemon.
var daemonTool = sibling{program: "mini-daemon", env: "MINI_DAEMON", what: "API program", serves: "the daemon command and mini -H are"}

func newDaemonCommand() *cobra.Command {
	return daemonTool.command("daemon [OPTIONS]", "Serve Docker's Engine API on a socket, for the docker CLI and SDKs")
}
