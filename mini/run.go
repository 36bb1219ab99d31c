// mini run: start a command in a new container and stay with it until it
// exits, returning its exit status.

package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	namespaces "mini/steps/01-namespaces"
	cgroups "mini/steps/02-cgroups"
)

// runOptions are run's flags, named as Docker names them.
type runOptions struct {
	rootfs      string
	hostname    string
	envs        []string
	envFiles    []string
	workdir     string
	user        string
	entrypoint  string
	privileged  bool
	interactive bool
	tty         bool
	sigProxy    bool
	cgroups     string // enabled | disabled (Podman's flag)
	rm          bool
	readOnly    bool
	cidfile     string
	volumes     []string
	volumesFrom []string
	name        string
	res         resourceOptions
}

func newRunCommand(g *globalOptions) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run [OPTIONS] IMAGE|--rootfs DIR [COMMAND] [ARG...]",
		Short: "Run a command in a new container",
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			return runContainer(g, o, args, f.Changed("entrypoint"), f.Changed("cpus"))
		},
	}
	f := cmd.Flags()
	// Everything after the command is the command's, not mini's.
	f.SetInterspersed(false)
	f.StringVar(&o.rootfs, "rootfs", "", "directory to use as the container's root filesystem")
	f.StringVarP(&o.hostname, "hostname", "h", "", "container host name (default: the short container ID)")
	f.StringArrayVarP(&o.envs, "env", "e", nil, "set environment variables (KEY=VALUE, or KEY to copy mini's)")
	f.StringArrayVar(&o.envFiles, "env-file", nil, "read environment variables from a file")
	f.StringVarP(&o.workdir, "workdir", "w", "", "working directory inside the container")
	f.StringVarP(&o.user, "user", "u", "", "user to run as: name|uid[:group|gid]")
	f.StringVar(&o.entrypoint, "entrypoint", "", "command to run, with the arguments after --rootfs DIR")
	f.BoolVar(&o.privileged, "privileged", false, "keep every capability; no masked or read-only paths")
	f.BoolVarP(&o.interactive, "interactive", "i", false, "keep standard input open")
	f.BoolVarP(&o.tty, "tty", "t", false, "give the container a terminal")
	f.BoolVar(&o.sigProxy, "sig-proxy", true, "pass signals mini receives to the container")
	f.StringVarP(&o.res.memory, "memory", "m", "", "memory limit (b, k, m or g), such as 32m")
	f.StringVar(&o.res.memorySwap, "memory-swap", "", "memory plus swap limit; -1 for unlimited swap")
	f.Int64VarP(&o.res.cpuShares, "cpu-shares", "c", 0, "CPU shares (relative weight)")
	f.Float64Var(&o.res.cpus, "cpus", 0, "number of CPUs, such as 0.5")
	f.StringVar(&o.res.cpusetCpus, "cpuset-cpus", "", "CPUs in which to allow execution (0-3, 0,1)")
	f.StringVar(&o.res.cpusetMems, "cpuset-mems", "", "memory nodes in which to allow execution")
	f.Int64Var(&o.res.pidsLimit, "pids-limit", 0, "most processes at once (-1 for unlimited)")
	f.StringVar(&o.res.cgroupParent, "cgroup-parent", defaultCgroupParent(), "parent cgroup of the container's (env MINI_CGROUP_PARENT)")
	f.StringVar(&o.cgroups, "cgroups", "enabled", "enabled, or disabled: no cgroup, so no limits and no device control (as in Podman)")
	f.BoolVar(&o.rm, "rm", false, "remove the container when it exits")
	f.BoolVar(&o.readOnly, "read-only", false, "mount the container's root filesystem read-only")
	f.StringVar(&o.cidfile, "cidfile", "", "write the container ID to a file")
	f.StringArrayVarP(&o.volumes, "volume", "v", nil, "bind mount a volume: HOST:CTR[:ro|rw], NAME:CTR[:ro|rw] or CTR")
	f.StringArrayVar(&o.volumesFrom, "volumes-from", nil, "mount the volumes of a container: CONTAINER[:ro|rw]")
	f.StringVar(&o.name, "name", "", "assign a name to the container")
	// -h is --hostname here, as in Docker; help is --help only.
	f.Bool("help", false, "help for run")
	return cmd
}

// runContainer turns the options into a Spec and limits, starts the
// container in its cgroup and stays attached to it until it exits.
func runContainer(g *globalOptions, o *runOptions, args []string, entrypointSet, cpusSet bool) error {
	var proxy *signalProxy
	if o.sigProxy {
		proxy = startSignalProxy() // now, so that it is armed by the start
		defer proxy.stop()
	}
	id := newID()
	src, args, err := resolveRoot(g.root, o.rootfs, args)
	if err != nil {
		return withStatus(namespaces.ExitRuntime, err)
	}
	spec, err := o.spec(id, src, args, entrypointSet)
	if err != nil {
		return withStatus(namespaces.ExitRuntime, err)
	}
	if o.name != "" && !volumeName.MatchString(o.name) {
		return withStatus(namespaces.ExitRuntime, fmt.Errorf("invalid container name %q: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", o.name))
	}
	vols, err := prepareVolumes(g.root, src, o.volumes, o.volumesFrom)
	if err != nil {
		return withStatus(namespaces.ExitRuntime, err)
	}
	spec.Binds = binds(vols)
	c, err := createContainer(g.root, id, o.name, spec, src, vols)
	if err != nil {
		removeVolumes(g.root, anonymousVolumes(vols))
		return withStatus(namespaces.ExitRuntime, err)
	}
	if o.rm {
		defer removeVolumes(g.root, anonymousVolumes(vols))
		defer c.remove()
	}
	if o.cidfile != "" {
		if err := writeCidfile(o.cidfile, id); err != nil {
			c.remove()
			return withStatus(namespaces.ExitRuntime, err)
		}
	}
	opts := namespaces.Options{Stdio: o.stdio(), InitBinary: initBinary()}
	// The run lock says "alive" for as long as this mini runs the
	// container, cgroup or not (runlock.go).
	parent := ""
	if o.cgroups != "disabled" {
		parent = o.res.cgroupParent
	}
	sweep(g.root)
	lock, err := acquireRunLock(g.root, runRecord{ID: id, CgroupParent: parent})
	if err != nil {
		return withStatus(namespaces.ExitRuntime, err)
	}
	var cgroupCleanup func() error
	defer func() {
		if cgroupCleanup != nil {
			if err := cgroupCleanup(); err != nil {
				fmt.Fprintf(os.Stderr, "mini: %v (the next mini command will retry)\n", err)
				lock.f.Close() // keep the file: it tells the next mini what to sweep
				return
			}
		}
		lock.release()
	}()
	var grp cgroups.Group
	if parent != "" {
		cgroupCleanup, grp, err = o.setupCgroup(id, spec, cpusSet)
		if err != nil {
			return withStatus(namespaces.ExitRuntime, err)
		}
		if err := placeInCgroup(spec, &opts, grp); err != nil {
			return withStatus(namespaces.ExitRuntime, err)
		}
		if opts.CgroupDir != nil {
			defer opts.CgroupDir.Close()
		}
	}
	err = attach(o, spec, opts, proxy, c.writeState)
	if st := c.readState(); st.Status == statusRunning { // it started: record how it ended
		oom := grp != nil && reportOOM(grp, o.res.memory)
		c.recordExit(exitCodeOf(err), oom)
	}
	return err
}

// exitCodeOf is the exit status attach reports.
func exitCodeOf(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if err != nil {
		return namespaces.ExitRuntime
	}
	return 0
}

// attach starts the container and stays with it: terminal, signals, exit
// status.
func attach(o *runOptions, spec *namespaces.Spec, opts namespaces.Options, proxy *signalProxy, started func(pid int) error) error {
	var console *consoleSession
	if o.tty {
		console = newConsoleSession(spec, o.interactive)
	}
	if proxy != nil {
		proxy.armed() // before the start: see signals.go
	}
	proc, err := namespaces.Start(spec, opts)
	if err != nil {
		return err
	}
	if proxy != nil {
		proxy.forwardTo(proc)
	}
	if err := started(proc.Pid()); err != nil {
		fmt.Fprintf(os.Stderr, "mini: %v\n", err)
	}
	if console != nil {
		console.attach(proc.Console)
		defer console.restore()
	}
	code, err := proc.Wait()
	if err != nil {
		return err
	}
	if console != nil {
		console.drain()
	}
	return withStatus(code, nil)
}

// stdio connects the container to mini's own streams; stdin only with -i.
func (o *runOptions) stdio() namespaces.Stdio {
	s := namespaces.Stdio{Stdout: os.Stdout, Stderr: os.Stderr}
	if o.interactive {
		s.Stdin = os.Stdin
	}
	return s
}

// spec checks the options and builds the container's Spec.
func (o *runOptions) spec(id string, src *rootSource, args []string, entrypointSet bool) (*namespaces.Spec, error) {
	args = src.command(args, o.entrypoint, entrypointSet)
	if len(args) == 0 {
		return nil, fmt.Errorf("no command specified: give one after the image or --rootfs DIR")
	}
	user, workdir := o.user, o.workdir
	if src.cfg != nil {
		user = cmpOr(user, src.cfg.Config.User)
		workdir = cmpOr(workdir, src.cfg.Config.WorkingDir)
	}
	if workdir != "" && !filepath.IsAbs(workdir) {
		return nil, fmt.Errorf("the working directory %q is invalid: it needs to be an absolute path", workdir)
	}
	if err := checkUserSyntax(user); err != nil {
		return nil, err
	}
	if o.tty && o.interactive && !term.IsTerminal(int(os.Stdin.Fd())) {
		return nil, fmt.Errorf("the input device is not a TTY; drop -t or run from a terminal")
	}
	if o.cgroups != "enabled" && o.cgroups != "disabled" {
		return nil, fmt.Errorf("invalid --cgroups %q: want enabled or disabled", o.cgroups)
	}
	hostname := o.hostname
	if hostname == "" {
		hostname = id[:12]
	}
	var imageEnv []string
	if src.cfg != nil {
		imageEnv = src.cfg.Config.Env
	}
	env, err := buildEnv(hostname, o.tty, imageEnv, o.envFiles, o.envs)
	if err != nil {
		return nil, err
	}
	return &namespaces.Spec{
		Rootfs: src.lower[0], Args: args, Env: env, Hostname: hostname,
		User: user, Cwd: workdir, Privileged: o.privileged, Tty: o.tty,
		ReadonlyRootfs: o.readOnly,
	}, nil
}

// cmpOr is the first of a and b that is not empty.
func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
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

// checkRootfs makes sure the root filesystem is a directory, and returns
// its absolute path.
func checkRootfs(dir string) (string, error) {
	if dir == "" {
		return "", fmt.Errorf("no root filesystem: pass --rootfs DIR (images come with step 04)")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("rootfs %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("rootfs %s does not exist; pass --rootfs a directory holding a root filesystem", abs)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("rootfs %s is not a directory; pass --rootfs a directory holding a root filesystem", abs)
	}
	return abs, nil
}

// checkUserSyntax rejects -u values that no lookup could match; names are
// resolved inside the container.
func checkUserSyntax(user string) error {
	if user == "" {
		return nil
	}
	name, group, hasGroup := strings.Cut(user, ":")
	if name == "" || (hasGroup && group == "") || strings.Count(user, ":") > 1 {
		return fmt.Errorf("invalid user %q: want name|uid[:group|gid]", user)
	}
	return nil
}

// newID returns a random 64-hex container ID, as Docker's.
func newID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// initBinary is the container's init program: $MINI_INIT if set ("self"
// for mini itself), else mini-init beside this binary when it is there,
// else mini itself (mini/init/main.go says why a separate one is faster).
func initBinary() string {
	switch env := os.Getenv("MINI_INIT"); env {
	case "self":
		return ""
	case "":
	default:
		return env
	}
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	sibling := filepath.Join(filepath.Dir(exe), "mini-init")
	if fi, err := os.Stat(sibling); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
		return sibling
	}
	return ""
}
