// run and create as a client: docker run's dance over the API. Create
// (pulling the image on a 404, as docker run does), attach before the
// start so that not a byte is lost, wait for the next exit, start, stream
// until the end; or, detached, print the ID. The flags are docker run's
// most used; their API form is the Engine API's Config and HostConfig.

package remote

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/errdefs"
	"github.com/docker/docker/pkg/jsonmessage"
	"github.com/docker/go-connections/nat"
	"github.com/docker/go-units"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"mini/mini/cli"
	images "mini/steps/04-images"
)

// runFlags are docker run's flags a client has.
type runFlags struct {
	name, user, workdir, hostname, network, entrypoint, restart, memory string
	env, volumes, publish, labels, aliases, capAdd, capDrop             []string
	cpus                                                                float64
	detach, interactive, tty, rm, privileged, readOnly                  bool
}

func (r *remote) runCommands() []*cobra.Command {
	var o runFlags
	run := &cobra.Command{Use: "run [OPTIONS] IMAGE [COMMAND] [ARG...]", Short: "Create and run a new container from an image",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return r.run(cmd, args, &o) }}
	addRunFlags(run, &o)
	run.Flags().BoolVarP(&o.detach, "detach", "d", false, "run in the background and print the container's ID")
	run.Flags().BoolVar(&o.rm, "rm", false, "remove the container when it exits")
	var co runFlags
	create := &cobra.Command{Use: "create [OPTIONS] IMAGE [COMMAND] [ARG...]", Short: "Create a new container",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := r.create(args, &co)
			if err != nil {
				return cli.WithStatus(125, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), id)
			return nil
		}}
	addRunFlags(create, &co)
	return []*cobra.Command{run, create}
}

func addRunFlags(cmd *cobra.Command, o *runFlags) {
	f := cmd.Flags()
	f.SetInterspersed(false)
	f.Bool("help", false, "help for "+cmd.Name()) // -h is --hostname, as in docker run
	f.StringVar(&o.name, "name", "", "a name for the container")
	f.BoolVarP(&o.interactive, "interactive", "i", false, "keep standard input open")
	f.BoolVarP(&o.tty, "tty", "t", false, "give the container a terminal")
	f.StringArrayVarP(&o.env, "env", "e", nil, "set an environment variable")
	f.StringArrayVarP(&o.volumes, "volume", "v", nil, "bind a volume or a host directory: SRC:DEST[:ro]")
	f.StringArrayVarP(&o.publish, "publish", "p", nil, "publish a port: [IP:][HOSTPORT:]PORT[/tcp|udp]")
	f.StringArrayVarP(&o.labels, "label", "l", nil, "set a label: KEY=VALUE")
	f.StringArrayVar(&o.aliases, "network-alias", nil, "another name on the user network")
	f.StringArrayVar(&o.capAdd, "cap-add", nil, "add a capability")
	f.StringArrayVar(&o.capDrop, "cap-drop", nil, "drop a capability")
	f.StringVarP(&o.user, "user", "u", "", "user to run as: name|uid[:group|gid]")
	f.StringVarP(&o.workdir, "workdir", "w", "", "working directory inside the container")
	f.StringVarP(&o.hostname, "hostname", "h", "", "the container's host name")
	f.StringVar(&o.network, "network", "", "the network to connect to")
	f.StringVar(&o.network, "net", "", "the same as --network")
	f.StringVar(&o.entrypoint, "entrypoint", "", "the image's entrypoint, replaced")
	f.StringVar(&o.restart, "restart", "", "restart policy: no, on-failure[:N], always, unless-stopped")
	f.StringVarP(&o.memory, "memory", "m", "", "memory limit (bytes, or 512m, 1g)")
	f.Float64Var(&o.cpus, "cpus", 0, "number of CPUs")
	f.BoolVar(&o.privileged, "privileged", false, "give the container every capability and device")
	f.BoolVar(&o.readOnly, "read-only", false, "mount the container's root read-only")
}

// request is the create request the flags make.
func (o *runFlags) request(args []string) (*container.Config, *container.HostConfig, *network.NetworkingConfig, error) {
	cfg := &container.Config{Image: args[0], Cmd: args[1:], Env: o.env, User: o.user, WorkingDir: o.workdir,
		Hostname: o.hostname, Tty: o.tty, OpenStdin: o.interactive, StdinOnce: o.interactive,
		AttachStdin: o.interactive, AttachStdout: !o.detach, AttachStderr: !o.detach, Labels: map[string]string{}}
	if o.entrypoint != "" {
		cfg.Entrypoint = []string{o.entrypoint}
	}
	for _, l := range o.labels {
		k, v, _ := strings.Cut(l, "=")
		cfg.Labels[k] = v
	}
	hc := &container.HostConfig{Binds: o.volumes, NetworkMode: container.NetworkMode(o.network), AutoRemove: o.rm,
		Privileged: o.privileged, ReadonlyRootfs: o.readOnly, CapAdd: o.capAdd, CapDrop: o.capDrop}
	exposed, bindings, err := nat.ParsePortSpecs(o.publish)
	if err != nil {
		return nil, nil, nil, err
	}
	cfg.ExposedPorts, hc.PortBindings = exposed, bindings
	if o.memory != "" {
		if hc.Memory, err = units.RAMInBytes(o.memory); err != nil {
			return nil, nil, nil, fmt.Errorf("invalid --memory %q: %v", o.memory, err)
		}
	}
	hc.NanoCPUs = int64(o.cpus * 1e9)
	if o.restart != "" {
		name, count, _ := strings.Cut(o.restart, ":")
		hc.RestartPolicy.Name = container.RestartPolicyMode(name)
		fmt.Sscan(count, &hc.RestartPolicy.MaximumRetryCount)
	}
	var nc *network.NetworkingConfig
	if len(o.aliases) > 0 {
		nc = &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{o.network: {Aliases: o.aliases}}}
	}
	return cfg, hc, nc, nil
}

// create makes the container, pulling its image first if the daemon has
// none: docker run's "Unable to find image locally".
func (r *remote) create(args []string, o *runFlags) (string, error) {
	cfg, hc, nc, err := o.request(args)
	if err != nil {
		return "", err
	}
	made, err := r.c.ContainerCreate(r.ctx, cfg, hc, nc, nil, o.name)
	if errdefs.IsNotFound(err) && strings.Contains(err.Error(), "No such image") {
		fmt.Fprintf(os.Stderr, "Unable to find image '%s' locally\n", args[0])
		if err = r.pull(args[0], os.Stderr); err != nil {
			return "", err
		}
		made, err = r.c.ContainerCreate(r.ctx, cfg, hc, nc, nil, o.name)
	}
	if err != nil {
		return "", err
	}
	for _, w := range made.Warnings {
		fmt.Fprintln(os.Stderr, "WARNING:", w)
	}
	return made.ID, nil
}

// pull pulls ref, its progress drawn on out as docker draws it.
func (r *remote) pull(ref string, out io.Writer) error {
	body, err := r.c.ImagePull(r.ctx, ref, image.PullOptions{RegistryAuth: images.ClientAuth(ref)})
	if err != nil {
		return err
	}
	return showProgress(body, out)
}

// showProgress draws a daemon's progress stream on out as docker does:
// lines redrawn in place on a terminal, else one after another. An error
// in the stream is the request's.
func showProgress(body io.ReadCloser, out io.Writer) error {
	defer body.Close()
	var fd uintptr
	isTerm := false
	if f, ok := out.(*os.File); ok {
		fd, isTerm = f.Fd(), term.IsTerminal(int(f.Fd()))
	}
	return jsonmessage.DisplayJSONMessagesStream(body, out, fd, isTerm, nil)
}

// run is docker run: 125 when the daemon fails it, 126 or 127 when its
// command cannot start, else the container's own status.
func (r *remote) run(cmd *cobra.Command, args []string, o *runFlags) error {
	if o.tty && o.interactive && !term.IsTerminal(int(os.Stdin.Fd())) {
		return cli.WithStatus(125, fmt.Errorf("the input device is not a TTY; drop -t or run from a terminal"))
	}
	id, err := r.create(args, o)
	if err != nil {
		return cli.WithStatus(125, err)
	}
	if o.detach {
		if err := r.c.ContainerStart(r.ctx, id, container.StartOptions{}); err != nil {
			return startFailed(err)
		}
		fmt.Fprintln(cmd.OutOrStdout(), id)
		return nil
	}
	return r.runAttached(id, o)
}

// runAttached attaches, waits for the next exit, starts, and streams the
// container's output (and our input) until it ends.
func (r *remote) runAttached(id string, o *runFlags) error {
	hijacked, err := r.c.ContainerAttach(r.ctx, id, container.AttachOptions{Stream: true, Stdin: o.interactive, Stdout: true, Stderr: true})
	if err != nil {
		return cli.WithStatus(125, err)
	}
	defer hijacked.Close()
	cond := container.WaitConditionNextExit
	if o.rm {
		cond = container.WaitConditionRemoved
	}
	// The wait is asked for (and answered with its status line) before
	// the start, so that the daemon listens for this run's exit.
	exited, waitErr := r.c.ContainerWait(r.ctx, id, cond)
	var t cli.Terminal
	if o.tty && o.interactive {
		t.MakeRaw()
	}
	defer t.Restore()
	if err := r.c.ContainerStart(r.ctx, id, container.StartOptions{}); err != nil {
		return startFailed(err)
	}
	if o.tty {
		t.FollowSize(func(rows, cols uint16) {
			r.c.ContainerResize(r.ctx, id, container.ResizeOptions{Height: uint(rows), Width: uint(cols)})
		})
	}
	if o.interactive {
		go func() {
			io.Copy(hijacked.Conn, os.Stdin)
			hijacked.CloseWrite()
		}()
	}
	copyOutput(hijacked.Reader, o.tty)
	select {
	case w := <-exited:
		if w.Error != nil {
			return cli.WithStatus(125, fmt.Errorf("%s", w.Error.Message))
		}
		return cli.WithStatus(int(w.StatusCode), nil)
	case err := <-waitErr:
		return cli.WithStatus(125, err)
	}
}

// startFailed is docker run's status for a start the daemon refused: 127
// for a command not found, 126 for one that cannot be run, else 125.
func startFailed(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "executable file not found") || strings.Contains(msg, "no such file or directory"):
		return cli.WithStatus(127, err)
	case strings.Contains(msg, "permission denied") || strings.Contains(msg, "is a directory"):
		return cli.WithStatus(126, err)
	}
	return cli.WithStatus(125, err)
}

// jsonUnmarshal reads a daemon's raw JSON answer, numbers as they are.
func jsonUnmarshal(raw []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return errors.New("the daemon's answer is not JSON: " + err.Error())
	}
	return nil
}
