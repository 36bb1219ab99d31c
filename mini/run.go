// mini run: create a container and start it under its supervisor; stay
// attached until it exits, returning its exit status, or with -d leave it
// running.

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"

	namespaces "mini/steps/01-namespaces"
	"mini/steps/07-runtime/supervisor"
)

// runOptions are run's flags, named as Docker names them.
type runOptions struct {
	rootfs      string
	hostname    string
	envs        []string
	envFiles    []string
	labels      []string
	labelFiles  []string
	logOpts     []string
	workdir     string
	user        string
	entrypoint  string
	privileged  bool
	capAdd      []string
	capDrop     []string
	securityOpt []string
	interactive bool
	tty         bool
	sigProxy    bool
	detach      bool
	attach      []string
	restart     string
	cgroups     string // enabled | disabled (Podman's flag)
	rm          bool
	readOnly    bool
	cidfile     string
	volumes     []string
	volumesFrom []string
	name        string
	res         resourceOptions
	net         runtime.NetworkOptions
}

func newRunCommand(g *cli.Options) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run [OPTIONS] IMAGE|--rootfs DIR [COMMAND] [ARG...]",
		Short: "Run a command in a new container",
		Example: `  mini run --rm -it busybox sh                     # a shell, gone when it exits
  mini run -d --name web -p 8080:80 nginx          # in the background, port 8080 to its 80
  mini run --rm -m 64m --pids-limit 50 busybox top # with limits (step 02)
  mini run --rm --rootfs /tmp/rootfs --net none sh # a directory as its root, no network`,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			return runContainer(g, o, args, f.Changed("entrypoint"), f.Changed("cpus"))
		},
	}
	f := cmd.Flags()
	addContainerFlags(f, o)
	f.BoolVarP(&o.detach, "detach", "d", false, "run the container in the background and print its ID")
	f.BoolVar(&o.sigProxy, "sig-proxy", true, "pass signals mini receives to the container")
	f.StringArrayVarP(&o.attach, "attach", "a", nil, "attach to STDIN, STDOUT or STDERR (default: all but STDIN without -i)")
	// -h is --hostname here, as in Docker; help is --help only.
	f.Bool("help", false, "help for run")
	return cmd
}

// addContainerFlags adds the flags run and create share.
func addContainerFlags(f *pflag.FlagSet, o *runOptions) {
	// Everything after the command is the command's, not mini's.
	f.SetInterspersed(false)
	f.StringVar(&o.rootfs, "rootfs", "", "directory to use as the container's root filesystem")
	f.StringVarP(&o.hostname, "hostname", "h", "", "container host name (default: the short container ID)")
	f.StringArrayVarP(&o.envs, "env", "e", nil, "set environment variables (KEY=VALUE, or KEY to copy mini's)")
	f.StringArrayVar(&o.envFiles, "env-file", nil, "read environment variables from a file")
	f.StringArrayVarP(&o.labels, "label", "l", nil, "set a label on the container (KEY=VALUE)")
	f.StringArrayVar(&o.labelFiles, "label-file", nil, "read labels from a file of KEY=VALUE lines")
	f.StringArrayVar(&o.logOpts, "log-opt", nil, "rotate the log: max-size=SIZE (such as 10m), max-file=N (files kept in all)")
	f.StringVarP(&o.workdir, "workdir", "w", "", "working directory inside the container")
	f.StringVarP(&o.user, "user", "u", "", "user to run as: name|uid[:group|gid]")
	f.StringVar(&o.entrypoint, "entrypoint", "", "command to run, with the arguments after --rootfs DIR")
	f.BoolVar(&o.privileged, "privileged", false, "keep every capability; no seccomp filter, no masked or read-only paths")
	f.StringArrayVar(&o.capAdd, "cap-add", nil, "add a Linux capability (CHOWN, NET_ADMIN..., or ALL)")
	f.StringArrayVar(&o.capDrop, "cap-drop", nil, "drop a Linux capability (or ALL)")
	f.StringArrayVar(&o.securityOpt, "security-opt", nil, "seccomp=unconfined|PROFILE.json, no-new-privileges[=true|false]")
	f.BoolVarP(&o.interactive, "interactive", "i", false, "keep standard input open")
	f.BoolVarP(&o.tty, "tty", "t", false, "give the container a terminal")
	f.StringVarP(&o.res.memory, "memory", "m", "", "memory limit (b, k, m or g), such as 32m")
	f.StringVar(&o.res.memorySwap, "memory-swap", "", "memory plus swap limit; -1 for unlimited swap")
	f.Int64VarP(&o.res.cpuShares, "cpu-shares", "c", 0, "CPU shares (relative weight)")
	f.Float64Var(&o.res.cpus, "cpus", 0, "number of CPUs, such as 0.5")
	f.StringVar(&o.res.cpusetCpus, "cpuset-cpus", "", "CPUs in which to allow execution (0-3, 0,1)")
	f.StringVar(&o.res.cpusetMems, "cpuset-mems", "", "memory nodes in which to allow execution")
	f.Int64Var(&o.res.pidsLimit, "pids-limit", 0, "most processes at once (-1 for unlimited)")
	f.StringVar(&o.res.cgroupParent, "cgroup-parent", cli.DefaultCgroupParent(), "parent cgroup of the container's (env MINI_CGROUP_PARENT)")
	f.StringVar(&o.cgroups, "cgroups", "enabled", "enabled, or disabled: no cgroup, so no limits and no device control (as in Podman)")
	f.BoolVar(&o.rm, "rm", false, "remove the container when it exits")
	f.BoolVar(&o.readOnly, "read-only", false, "mount the container's root filesystem read-only")
	f.StringVar(&o.cidfile, "cidfile", "", "write the container ID to a file")
	f.StringArrayVarP(&o.volumes, "volume", "v", nil, "bind mount a volume: HOST:CTR[:ro|rw], NAME:CTR[:ro|rw] or CTR")
	f.StringArrayVar(&o.volumesFrom, "volumes-from", nil, "mount the volumes of a container: CONTAINER[:ro|rw]")
	f.StringVar(&o.name, "name", "", "assign a name to the container")
	f.StringVar(&o.restart, "restart", "no", "restart policy: no, on-failure[:max-retries], always, unless-stopped")
	addNetworkFlags(f, &o.net)
}

// runContainer creates the container and starts it under a supervisor:
// attached until it exits (its exit status becomes mini's), or with -d
// printing its ID and returning at once.
//
// The supervisor may have been started before the flags were even parsed
// (early.go, an optimisation).
func runContainer(g *cli.Options, o *runOptions, args []string, entrypointSet, cpusSet bool) error {
	streams, err := o.streams()
	if err != nil {
		return cli.WithStatus(namespaces.ExitRuntime, err)
	}
	cg, err := o.cgroupJob(cpusSet)
	if err != nil {
		return cli.WithStatus(namespaces.ExitRuntime, err)
	}
	var proxy *signalProxy
	if o.sigProxy && !o.detach {
		proxy = startSignalProxy() // now, so that it is armed by the start
		defer proxy.stop()
	}
	id := runtime.NewID()
	s, err := claimSupervisor(cli.Runtime(g.Root), o.prepare(g.Root, id, cg))
	if err != nil {
		return cli.WithStatus(namespaces.ExitRuntime, err)
	}
	c, job, err := createFromFlags(g, o, id, cg, args, entrypointSet)
	if err != nil {
		s.Abandon()
		return cli.WithStatus(namespaces.ExitRuntime, err)
	}
	if o.detach {
		if err := s.StartDetached(job); err != nil {
			return err // a StartError's status, or 125 (report)
		}
		fmt.Println(c.ID)
		return nil
	}
	return startAttached(s, job, sessionOptions{streams: streams, tty: o.tty, proxy: proxy}, o.res.memory)
}

// createFromFlags makes the container the flags describe (the runtime's
// CreateFrom), and writes --cidfile. On failure nothing is left.
func createFromFlags(g *cli.Options, o *runOptions, id string, cg *supervisor.CgroupJob, args []string, entrypointSet bool) (*runtime.Container, *supervisor.Job, error) {
	co, err := o.createOptions(g.Root, id, cg, args, entrypointSet)
	if err != nil {
		return nil, nil, err
	}
	c, err := cli.Runtime(g.Root).CreateFrom(co)
	if err != nil {
		return nil, nil, err
	}
	if o.cidfile != "" {
		if err := writeCidfile(o.cidfile, id); err != nil {
			c.Remove(true)
			return nil, nil, err
		}
	}
	return c, &c.Job, nil
}

// createOptions checks what only the command line can (the terminal, the
// flags' syntax) and gives the runtime the rest.
func (o *runOptions) createOptions(root, id string, cg *supervisor.CgroupJob, args []string, entrypointSet bool) (*runtime.CreateOptions, error) {
	if o.tty && o.interactive && !o.detach && !term.IsTerminal(int(os.Stdin.Fd())) {
		return nil, fmt.Errorf("the input device is not a TTY; drop -t or run from a terminal")
	}
	if o.cgroups != "enabled" && o.cgroups != "disabled" {
		return nil, fmt.Errorf("invalid --cgroups %q: want enabled or disabled", o.cgroups)
	}
	policy, err := parseRestart(o.restart)
	if err != nil {
		return nil, err
	}
	securityOpt, err := readSeccompProfiles(o.securityOpt)
	if err != nil {
		return nil, err
	}
	co := &runtime.CreateOptions{ID: id, Name: o.name, Rootfs: o.rootfs, Pull: pullMissing(root),
		Cmd: args, Entrypoint: o.entrypoint, EntrypointSet: entrypointSet,
		Env: o.envs, EnvFiles: o.envFiles, Labels: o.labels, LabelFiles: o.labelFiles, LogOpts: o.logOpts, Hostname: o.hostname, User: o.user, WorkingDir: o.workdir,
		Tty: o.tty, OpenStdin: o.interactive, Privileged: o.privileged, ReadOnly: o.readOnly,
		CapAdd: o.capAdd, CapDrop: o.capDrop, SecurityOpt: securityOpt, Volumes: o.volumes, VolumesFrom: o.volumesFrom, Cgroup: cg, Network: o.net,
		Restart: policy, AutoRemove: o.rm}
	if o.rootfs == "" && len(args) > 0 { // IMAGE [COMMAND]
		co.Image, co.Cmd = args[0], args[1:]
	}
	return co, nil
}

// readSeccompProfiles replaces each seccomp=FILE by seccomp= and the
// file's JSON, as Docker's client does: the profile is the container's
// from then on, whatever becomes of the file.
func readSeccompProfiles(opts []string) ([]string, error) {
	out := make([]string, len(opts))
	for i, opt := range opts {
		out[i] = opt
		file, ok := strings.CutPrefix(opt, "seccomp=")
		if !ok || file == namespaces.SeccompUnconfined || file == "" {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read the seccomp profile %s: %w", file, err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, data); err != nil {
			return nil, fmt.Errorf("the seccomp profile %s is not JSON: %w", file, err)
		}
		out[i] = "seccomp=" + compact.String()
	}
	return out, nil
}

// parseRestart reads --restart.
func parseRestart(s string) (supervisor.RestartPolicy, error) {
	name, max, hasMax := strings.Cut(s, ":")
	p := supervisor.RestartPolicy{Name: name}
	switch {
	case name == "no" || name == "always" || name == "unless-stopped":
		if hasMax {
			return p, fmt.Errorf("invalid --restart %q: only on-failure takes a maximum retry count", s)
		}
	case name == "on-failure":
		if hasMax {
			n, err := strconv.Atoi(max)
			if err != nil || n < 0 {
				return p, fmt.Errorf("invalid --restart %q: the maximum retry count must be a number, 0 or more", s)
			}
			p.MaxRetries = n
		}
	default:
		return p, fmt.Errorf("invalid --restart %q: want no, on-failure[:max-retries], always or unless-stopped", s)
	}
	return p, nil
}

// startAttached hands the job to the supervisor and stays with the
// container until it exits, returning its exit status.
func startAttached(s *runtime.Supervisor, job *supervisor.Job, opts sessionOptions, memory string) error {
	job.StdinOnce = job.OpenStdin
	if job.Spec.Tty {
		job.Spec.Rows, job.Spec.Cols, _ = cli.TerminalSize()
	}
	var rep *supervisor.Report
	err := s.SendJob(job)
	if err == nil {
		rep, err = attachSession(s.Conn, opts, false)
		s.Leave() // gone, detached from, or left to exit
	}
	if errors.Is(err, errDetached) {
		return nil
	}
	if err != nil {
		return cli.WithStatus(namespaces.ExitRuntime, err)
	}
	return exitOf(rep, memory)
}

// eventAttrs are a container's attributes in events.
func eventAttrs(c *runtime.Container) map[string]string {
	a := map[string]string{"name": c.Name}
	if c.Image != "" {
		a["image"] = c.Image
	}
	return a
}

// streams reads -a: which of the container's streams run stays attached to.
func (o *runOptions) streams() (streamSet, error) {
	return parseStreams(o.attach, o.interactive)
}

// writeCidfile writes the ID to a file that must not exist yet, as Docker
// does, so that two containers never share one.
func writeCidfile(path, id string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("cidfile %s: %w", path, err)
	}
	defer f.Close()
	_, err = f.WriteString(id)
	return err
}
