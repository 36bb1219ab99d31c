// Package remote is mini as a client of a daemon: mini -H HOST COMMAND
// (or with $MINI_HOST or $DOCKER_HOST set) sends each command to an Engine
// API daemon, mini daemon's or Docker's, as the docker CLI does, instead
// of doing the work itself. The requests are Docker's Go client's (the
// wire is step 08's lesson; the client library is not); the output is
// mini's, the same tables and templates (mini/cli's Print) as the
// daemonless commands print.
//
// The commands a client has: the containers' life cycle (run, create,
// start, stop, kill, restart, pause, unpause, rename, wait, rm, ps, logs,
// attach, exec, top, port, inspect), their files (cp, diff, export,
// commit, container prune, stats), the images' (images, pull, push, tag,
// rmi, history, save, load, build, image prune), the networks' (ls,
// create, rm, connect, disconnect, inspect, prune) and volumes' (ls,
// create, rm, inspect, prune), events, version and info. login, logout
// and search are this machine's, as the docker CLI's are: the logins are
// kept here and sent with each pull and push (images.ClientAuth). The
// rest (import, and the container and image groups' other spellings) run
// daemonless, on the daemon's machine.
package remote

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/docker/docker/client"
	"github.com/spf13/cobra"

	"mini/mini/cli"
)

// Main runs mini's command line (os.Args) as a client of the daemon at
// host.
func Main(host string) error {
	r := &remote{ctx: context.Background(), host: host}
	g := &cli.Options{}
	root := cli.NewRoot(g, "A small container runtime, here the client of the daemon at "+host)
	// The client is made once the flags are read: TLS is in them.
	var t tlsFlags
	t.add(root)
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		opts := []client.Opt{client.WithHost(host), client.WithAPIVersionNegotiation()}
		if t.verify {
			opts = append(opts, client.WithTLSClientConfig(t.ca, t.cert, t.key))
		}
		c, err := client.NewClientWithOpts(opts...)
		if err != nil {
			return cli.WithStatus(1, fmt.Errorf("invalid daemon address %q: %v", host, err))
		}
		r.c = c
		return nil
	}
	root.AddCommand(r.containerCommands()...) // containers.go
	root.AddCommand(r.runCommands()...)       // run.go
	root.AddCommand(r.execCommand())          // exec.go
	root.AddCommand(r.objectCommands()...)    // objects.go
	root.AddCommand(r.fileCommands()...)      // files.go
	root.AddCommand(r.moreCommands()...)      // more.go
	err := root.Execute()
	if err != nil && strings.HasPrefix(err.Error(), "unknown command") {
		err = cli.WithStatus(1, fmt.Errorf("%v: as a client of %s, mini has the commands mini -H %s --help lists; run the others without -H, on the daemon's machine", err, host, host))
	}
	if r.c != nil {
		r.c.Close()
	}
	return err
}

// tlsFlags are docker's: --tlsverify (or $DOCKER_TLS_VERIFY) speaks TLS
// to a daemon on TCP, checking its certificate against --tlscacert and
// showing ours (--tlscert, --tlskey), from $DOCKER_CERT_PATH or
// ~/.docker by default.
type tlsFlags struct {
	verify        bool
	ca, cert, key string
}

func (t *tlsFlags) add(root *cobra.Command) {
	f := root.PersistentFlags()
	f.BoolVar(&t.verify, "tlsverify", os.Getenv("DOCKER_TLS_VERIFY") != "", "speak TLS to the daemon, and check its certificate (env DOCKER_TLS_VERIFY)")
	f.StringVar(&t.ca, "tlscacert", cli.DockerCertFile("ca.pem"), "the CA the daemon's certificate is signed by")
	f.StringVar(&t.cert, "tlscert", cli.DockerCertFile("cert.pem"), "this client's certificate")
	f.StringVar(&t.key, "tlskey", cli.DockerCertFile("key.pem"), "this client's key")
}

// remote is a client of one daemon.
type remote struct {
	c    *client.Client
	ctx  context.Context
	host string
}

// each applies op to every argument, printing each that succeeds (as
// docker stop, rm... do), going on past failures: any makes the status 1.
func each(cmd *cobra.Command, args []string, op func(ref string) error) error {
	var failed []string
	for _, a := range args {
		if err := op(a); err != nil {
			fmt.Fprintf(os.Stderr, "mini: %v\n", err)
			failed = append(failed, a)
			continue
		}
		fmt.Fprintln(cmd.OutOrStdout(), a)
	}
	if len(failed) > 0 {
		return cli.WithStatus(1, cli.ErrSaid)
	}
	return nil
}

// short is an ID as Docker shows it: 12 hex digits, without sha256:.
func short(id string, noTrunc bool) string {
	id = strings.TrimPrefix(id, "sha256:")
	if !noTrunc && len(id) > 12 {
		return id[:12]
	}
	return id
}

// printRaw is an inspect: each object's JSON as the daemon answered it
// (get), printed as the daemonless inspect prints its own.
func printRaw(cmd *cobra.Command, refs []string, format string, get func(ref string) ([]byte, error)) error {
	var out []any
	for _, ref := range refs {
		raw, err := get(ref)
		if err != nil {
			return cli.Failed(err)
		}
		var v any
		if err := jsonUnmarshal(raw, &v); err != nil {
			return cli.Failed(err)
		}
		out = append(out, v)
	}
	return cli.Failed(cli.PrintInspect(cmd.OutOrStdout(), out, format))
}
