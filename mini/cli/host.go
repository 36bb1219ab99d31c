// Which daemon, if any, mini talks to. Without one, mini is daemonless: it
// does the work itself (step 07). With -H (or $MINI_HOST, or Docker's own
// $DOCKER_HOST), every command is a client of an Engine API daemon there,
// mini daemon's or Docker's (mini/remote), as docker -H is.

package cli

import (
	"cmp"
	"os"
	"path/filepath"
	"strings"

	namespaces "mini/steps/01-namespaces"
	"mini/steps/07-runtime/supervisor"
)

// RemoteHost is the daemon args (mini's own arguments) point at: -H or
// --host among the global flags, else $MINI_HOST, else $DOCKER_HOST; ""
// for none, or for a command that is never a client's (LocalOnly).
func RemoteHost(args []string) string {
	host, command := "", ""
	for i := 0; i < len(args) && command == ""; i++ {
		switch a := args[i]; {
		case a == "-H" || a == "--host":
			if i+1 < len(args) {
				host = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "-H=") || strings.HasPrefix(a, "--host="):
			host = a[strings.IndexByte(a, '=')+1:]
		case a == "--root":
			i++
		case !strings.HasPrefix(a, "-"):
			command = a
		}
	}
	if LocalOnly(command) {
		return ""
	}
	return cmp.Or(host, os.Getenv("MINI_HOST"), os.Getenv("DOCKER_HOST"))
}

// LocalOnly says whether a command always runs here: the daemon itself,
// mini's hidden roles (a container's init, exec's helper, a supervisor:
// started by a mini with the user's environment) and the shell's
// completion.
func LocalOnly(command string) bool {
	switch command {
	case "daemon", namespaces.InitCommand, namespaces.EnterCommand, supervisor.Command, "__complete", "__completeNoDesc", "__docs", "completion":
		return true
	}
	return false
}

// DockerCertFile is a file of Docker's certificate directory,
// $DOCKER_CERT_PATH or ~/.docker, where docker's and dockerd's TLS flags
// look by default.
func DockerCertFile(name string) string {
	dir := os.Getenv("DOCKER_CERT_PATH")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".docker")
	}
	return filepath.Join(dir, name)
}
