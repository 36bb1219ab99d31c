// Package daemoncli is mini daemon: Docker's Engine API over the state
// root (step 08), for the docker CLI, compose and the SDKs. It is the
// program mini-daemon, which mini runs for the daemon command, as it runs
// mini-image for the image commands: an HTTP server is a large part of a
// program to link, and the mini command starts faster without it
// (mini/imagetool.go says why that matters). mini itself stays
// daemonless: the daemon is one more client of the same runtime, and the
// containers it makes are the mini command's too.
package daemoncli

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
	api "mini/steps/08-api"
)

// defaultHost is where the daemon listens unless -H says otherwise.
const defaultHost = "unix:///run/mini.sock"

// Command is the daemon command of a program whose global flags are g;
// version is mini's release.
func Command(g *cli.Options, version string) *cobra.Command {
	var hosts []string
	var t tlsOptions
	cmd := &cobra.Command{
		Use:   "daemon [OPTIONS]",
		Short: "Serve Docker's Engine API on a socket, for the docker CLI and SDKs",
		Example: `  sudo mini daemon &                                  # unix:///run/mini.sock
  sudo docker -H unix:///run/mini.sock run -d --name web busybox httpd -f
  sudo curl --unix-socket /run/mini.sock http://localhost/v1.41/containers/json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tlsConfig, err := t.config()
			if err != nil {
				return cli.Failed(err)
			}
			return cli.Failed(serveAPI(g, version, hosts, tlsConfig))
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&hosts, "host", "H", []string{defaultHost}, "where to listen: unix:///PATH, or tcp://ADDRESS:PORT (loopback only without --tlsverify)")
	f.BoolVar(&t.tls, "tls", false, "speak TLS on TCP, with --tlscert and --tlskey")
	f.BoolVar(&t.verify, "tlsverify", false, "speak TLS on TCP and ask every client for a certificate --tlscacert signed")
	f.StringVar(&t.ca, "tlscacert", cli.DockerCertFile("ca.pem"), "the CA of the clients' certificates")
	f.StringVar(&t.cert, "tlscert", cli.DockerCertFile("cert.pem"), "the daemon's certificate")
	f.StringVar(&t.key, "tlskey", cli.DockerCertFile("key.pem"), "the daemon's key")
	return cmd
}

// tlsOptions are dockerd's TLS flags.
type tlsOptions struct {
	tls, verify   bool
	ca, cert, key string
}

// config is the listeners' TLS, or nil without --tls or --tlsverify.
func (t *tlsOptions) config() (*tls.Config, error) {
	if !t.tls && !t.verify {
		return nil, nil
	}
	return api.TLSConfig(t.ca, t.cert, t.key, t.verify)
}

// serveAPI listens on every host and serves until SIGINT or SIGTERM,
// then closes the listeners (a unix socket is removed with its listener).
func serveAPI(g *cli.Options, version string, hosts []string, tlsConfig *tls.Config) error {
	rt := cli.Runtime(g.Root)
	rt.Records = runtime.NewRecordCache() // lists again and again: keep what it decodes
	srv := api.NewServer(rt, version)
	srv.DefaultNetwork, srv.CgroupParent = cli.DefaultNetwork(), cli.DefaultCgroupParent()
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for _, h := range hosts {
		l, err := api.Listen(h, tlsConfig)
		if err != nil {
			return err
		}
		listeners = append(listeners, l)
		if strings.HasPrefix(h, "tcp://") && (tlsConfig == nil || tlsConfig.ClientCAs == nil) {
			fmt.Fprintf(os.Stderr, "WARNING: the API on %s has no authentication: whoever reaches it is root on this machine (--tlsverify asks for client certificates)\n", h)
		}
		fmt.Fprintf(os.Stderr, "mini daemon: API %s listening on %s\n", api.APIVersion, h)
	}
	done := make(chan error, len(listeners))
	for _, l := range listeners {
		go func(l net.Listener) { done <- http.Serve(l, srv) }(l)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	select {
	case sig := <-stop:
		fmt.Fprintf(os.Stderr, "mini daemon: %v: stopping\n", sig)
		return nil
	case err := <-done:
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		return err
	}
}
