// Package remote is mini as a client of a daemon: mini -H HOST COMMAND
// (or with $MINI_HOST or $DOCKER_HOST set) sends each command to an Engine
// API daemon, mini daemon's or Docker's, as the docker CLI does, instead
// of doing the work itself. The requests are Docker's Go client's (the
// wire is step 08's lesson; the client library is not); the output is
// mini's, the same tables and templates (mini/cli's Print) as the
// daemonless commands print.
//
// A client has mini's commands: the containers' (run, create, start,
// stop, kill, restart, pause, unpause, rename, wait, rm, ps, logs, attach,
// exec, top, port, stats, inspect, cp, diff, export, commit), the images'
// (images, pull, push, tag, rmi, history, save, load, import, build), the
// networks' and volumes', events, version and info, and Docker's
// management spellings of them (container ls, image rm...). login, logout
// and search are this machine's, as the docker CLI's are: the logins are
// kept here and sent with each pull and push (images.ClientAuth). Only
// the daemon itself, and mini's hidden roles, are never a client's.
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
	groupSpellings(root)
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

// groupSpellings lets Docker's management commands name the top-level
// ones: container ls is ps, image ls is images, image rm is rmi, and
// container X or image X is X. The groups keep their own subcommands
// (prune); any other word is run again as the top-level command.
func groupSpellings(root *cobra.Command) {
	names := map[string]map[string]string{
		"container": {"ls": "ps", "list": "ps"},
		"image":     {"ls": "images", "list": "images", "rm": "rmi", "remove": "rmi"},
	}
	for _, group := range root.Commands() {
		renames, ok := names[group.Name()]
		if !ok {
			continue
		}
		group.DisableFlagParsing, group.Args = true, cobra.ArbitraryArgs
		group.RunE = func(cmd *cobra.Command, args []string) error {
			// The global flags given before the group come along unparsed.
			i := 0
			for i < len(args) && strings.HasPrefix(args[i], "-") {
				if f := root.PersistentFlags().Lookup(strings.TrimLeft(args[i], "-")); f != nil && f.Value.Type() != "bool" {
					i++ // its value
				} else if len(args[i]) == 2 && root.PersistentFlags().ShorthandLookup(args[i][1:]) != nil {
					i++
				}
				i++
			}
			if i >= len(args) {
				return cmd.Help()
			}
			name := args[i]
			if to, ok := renames[name]; ok {
				name = to
			}
			root.SetArgs(append(append(append([]string{}, args[:i]...), name), args[i+1:]...))
			return root.Execute()
		}
	}
}
