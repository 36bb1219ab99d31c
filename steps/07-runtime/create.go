// Create: a container made from its options, Docker's way. The options are
// what docker create's flags mean (Docker's Config and HostConfig), read
// already by the caller; Create resolves the root (a directory, or an
// image's layers and defaults), builds step 01's Spec, the network (step
// 05) and the volumes, and stores the container (container.go).

package runtime

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	namespaces "mini/steps/01-namespaces"
	"mini/steps/07-runtime/store"
	"mini/steps/07-runtime/supervisor"
)

// CreateOptions describe a container to make.
type CreateOptions struct {
	ID   string // its ID, or "" for a new one (NewID)
	Name string // its name, or "" for a random one
	// Its root: the directory Rootfs, else the image Image, pulled by Pull
	// when the store lacks it (nil: not pulled).
	Rootfs string
	Image  string
	Pull   func(ref string) error
	// Its command: Docker's rules join the entrypoint (the image's, or
	// Entrypoint when EntrypointSet) and Cmd (or else the image's Cmd).
	Cmd           []string
	Entrypoint    string
	EntrypointSet bool
	// What it runs with. Env are KEY=VALUE (or KEY, copied from the
	// caller's environment); EnvFiles are read in order before them.
	Env, EnvFiles        []string
	Hostname, User       string
	WorkingDir           string
	Tty, OpenStdin       bool
	Privileged, ReadOnly bool
	// CapAdd and CapDrop change Docker's default capabilities;
	// SecurityOpt are --security-opt's values, a seccomp profile given as
	// its JSON ("seccomp=unconfined", "seccomp={...}",
	// "no-new-privileges"), as Docker's HostConfig holds them.
	CapAdd, CapDrop, SecurityOpt []string
	// Labels are --label's KEY=VALUE, LabelFiles --label-file's files,
	// read before them; both go over the image's labels.
	Labels, LabelFiles []string
	// LogOpts are --log-opt's KEY=VALUE (logopts.go).
	LogOpts []string
	// Volumes are -v's specs; VolumesFrom --volumes-from's.
	Volumes, VolumesFrom []string
	Cgroup               *supervisor.CgroupJob // nil: no cgroup (--cgroups disabled)
	Network              NetworkOptions
	Restart              supervisor.RestartPolicy
	AutoRemove           bool // --rm
	// Builder is the mini build whose RUN this is (supervisor.Self()).
	Builder *supervisor.Process
}

// NewID returns a random 64-hex container ID, as Docker's.
func NewID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// CreateFrom makes the container o describes: its directory, volumes and
// record. On failure nothing is left.
func (rt *Runtime) CreateFrom(o *CreateOptions) (*Container, error) {
	if o.ID == "" {
		o.ID = NewID()
	}
	if o.Name != "" && !ValidName(o.Name) {
		return nil, invalid("invalid container name %q: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", o.Name)
	}
	if o.Hostname != "" && strings.HasPrefix(o.Network.Mode, supervisor.NetContainer+":") {
		// The other container's UTS namespace, hence its hostname, is shared.
		return nil, invalid("conflicting options: hostname and the network mode")
	}
	if o.AutoRemove && o.Restart.Name != "" && o.Restart.Name != "no" {
		return nil, invalid("conflicting options: --restart and --rm: a container removed when it exits cannot be restarted")
	}
	src, err := rt.resolveRoot(o)
	if err != nil {
		return nil, err
	}
	// The user's variables (--env-file, then -e), read once: the process
	// gets them over its defaults, inspect's Config.Env shows them first.
	userEnv, err := OverrideEnv(nil, o.EnvFiles, o.Env)
	if err != nil {
		return nil, err
	}
	spec, err := o.spec(src, userEnv)
	if err != nil {
		return nil, err
	}
	labels, err := containerLabels(src.labels(), o.LabelFiles, o.Labels)
	if err != nil {
		return nil, err
	}
	logOpts, logGiven, err := logOptions(o.LogOpts)
	if err != nil {
		return nil, err
	}
	nj, err := rt.networkJob(&o.Network, spec.Hostname, src.exposedPorts())
	if err != nil {
		return nil, err
	}
	vols, err := rt.prepareVolumes(src, o.Volumes, o.VolumesFrom)
	if err != nil {
		return nil, err
	}
	spec.Binds = binds(vols)
	anon := AnonymousVolumes(vols)
	rec := &Record{
		Job: supervisor.Job{ID: o.ID, Name: o.Name, Image: src.image, Root: rt.Root, Spec: *spec,
			InitBinary: rt.Init, Cgroup: o.Cgroup, Network: nj, Restart: o.Restart, AutoRemove: o.AutoRemove, Builder: o.Builder,
			OpenStdin: o.OpenStdin, Log: logOpts, Labels: labels},
		ImageID: src.imageID, Created: time.Now().UTC(), Lower: src.lower, Volumes: vols,
		CapAdd: namespaces.NormalizeCapabilities(o.CapAdd), CapDrop: namespaces.NormalizeCapabilities(o.CapDrop),
		SecurityOpt: o.SecurityOpt, Config: o.containerConfig(src, vols, labels, userEnv), LogOpts: logGiven,
	}
	for _, name := range anon {
		rec.RemoveWith = append(rec.RemoveWith, store.Volume(rt.Root, name))
	}
	c, err := rt.Create(rec)
	if err != nil {
		RemoveVolumes(rt.Root, anon)
		return nil, err
	}
	return c, nil
}

// spec checks the options and builds the container's Spec.
func (o *CreateOptions) spec(src *rootSource, userEnv []string) (*namespaces.Spec, error) {
	args := src.command(o.Cmd, o.Entrypoint, o.EntrypointSet)
	if len(args) == 0 {
		return nil, invalid("no command specified: give one after the image or --rootfs DIR")
	}
	user, workdir := o.User, o.WorkingDir
	if src.cfg != nil {
		user = cmp.Or(user, src.cfg.Config.User)
		workdir = cmp.Or(workdir, src.cfg.Config.WorkingDir)
	}
	if workdir != "" && !filepath.IsAbs(workdir) {
		return nil, invalid("the working directory %q is invalid: it needs to be an absolute path", workdir)
	}
	if err := CheckUser(user); err != nil {
		return nil, err
	}
	hostname := o.Hostname
	if hostname == "" && o.Network.Mode == supervisor.NetHost {
		hostname, _ = os.Hostname() // the host's, as Docker gives with --net host
	}
	if hostname == "" {
		hostname = o.ID[:12]
	}
	var imageEnv []string
	if src.cfg != nil {
		imageEnv = src.cfg.Config.Env
	}
	env := buildEnv(hostname, o.Tty, imageEnv, userEnv)
	spec := &namespaces.Spec{
		Rootfs: src.lower[0], Args: args, Env: env, Hostname: hostname,
		User: user, Cwd: workdir, Privileged: o.Privileged, Tty: o.Tty,
		ReadonlyRootfs: o.ReadOnly,
	}
	if err := o.confine(spec); err != nil {
		return nil, err
	}
	return spec, nil
}

// CheckUser rejects -u values that no lookup could match; names are
// resolved inside the container.
func CheckUser(user string) error {
	if user == "" {
		return nil
	}
	name, group, hasGroup := strings.Cut(user, ":")
	if name == "" || (hasGroup && group == "") || strings.Count(user, ":") > 1 {
		return invalid("invalid user %q: want name|uid[:group|gid]", user)
	}
	return nil
}

// checkRootfs makes sure the root filesystem is a directory, and returns
// its absolute path.
func checkRootfs(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("rootfs %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return "", invalid("rootfs %s does not exist; pass --rootfs a directory holding a root filesystem", abs)
	}
	if !fi.IsDir() {
		return "", invalid("rootfs %s is not a directory; pass --rootfs a directory holding a root filesystem", abs)
	}
	return abs, nil
}
