// The child's half: mini running as the container's init, already inside
// its new namespaces, turning itself into the user's command.
//
// The order of the steps below is the point of this file:
//
//	undumpable             no process of the container may look into us
//	wait for "go"          the parent has made our cgroup (and on v2 we
//	                       were born in it)
//	join cgroup (v1)       before we do anything at all
//	join network ns        another container's (--net container:), by its
//	                       /proc path, while the host's /proc is ours
//	unshare cgroup ns      now our cgroup becomes our cgroup "/"
//	private mounts, pivot  the host's tree leaves our mount table
//	/proc /sys /dev        the kernel's views of this container
//	mask paths             hide what namespaces do not cover
//	hostname, lo           the UTS and network namespaces' first settings
//	look up the user       in the container's /etc/passwd, now that it is "/"
//	terminal               made inside, while we are still root
//	workdir                inside the new root: no host directory leaks
//	seccomp filter         while we may still install it (seccomp.go)
//	capabilities, user     last, because everything above needs root
//	close fds, exec        nothing of the host crosses into the command

package namespaces

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The descriptors the parent hands the child (start.go's ExtraFiles).
const (
	initPipeFd = 3
	errPipeFd  = 4
	consoleFd  = 5
	initExeFd  = 6 // the init binary itself, executed through it
)

// Init runs the container's init and never returns: it becomes the user's
// command, or reports why it could not and exits.
func Init() { becomeCommand(initContainer) }

// becomeCommand runs body, which ends by executing the user's command, on
// one locked OS thread; if body returns, its error goes to the parent
// through the error pipe and the process exits.
func becomeCommand(body func() error) {
	// Credentials, capabilities and namespaces set below belong to this OS
	// thread; execve keeps only the calling thread's.
	runtime.LockOSThread()
	unix.CloseOnExec(errPipeFd)
	errPipe := os.NewFile(errPipeFd, "error-pipe")

	err := undumpable()
	if err == nil {
		err = body()
	}
	json.NewEncoder(errPipe).Encode(asStartError(err))
	os.Exit(exitChildInternal)
}

// undumpable closes this process to everyone but root on the host until
// it has become the command (execve makes it dumpable again). Once its
// capabilities are dropped to the container's, container root passes the
// kernel's ptrace check and could open /proc/PID/fd/N: whatever of the
// host the process still holds would be the container's. runc's init
// guards the same way.
func undumpable() error {
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("make the init undumpable: %w", err)
	}
	return nil
}

func initContainer() error {
	spec, filter, err := readSpec()
	if err != nil {
		return err
	}
	if err := joinSelf(spec.JoinFiles); err != nil {
		return err
	}
	if err := joinNetwork(spec.Network); err != nil {
		return err
	}
	if err := unix.Unshare(unix.CLONE_NEWCGROUP); err != nil {
		return fmt.Errorf("new cgroup namespace: %w", err)
	}
	if err := buildRoot(spec); err != nil {
		return err
	}
	if err := unix.Sethostname([]byte(spec.Hostname)); err != nil {
		return fmt.Errorf("set hostname %q: %w", spec.Hostname, err)
	}
	if spec.Network == "" { // a namespace of its own: its loopback is down
		if err := bringUpLoopback(); err != nil {
			return err
		}
	}
	return execAs(spec, filter, true)
}

// execAs ends a start, once the process stands where its command is to
// run: it finds the user, makes the terminal, enters the working
// directory, installs the seccomp filter, takes the user's ids and
// capabilities, closes what the command must not inherit, and executes
// it. first is true for the container's first process: its terminal is
// also /dev/console, and a missing working directory is made, as docker
// run does (docker exec does not).
//
// The filter goes in last of all under no_new_privs, and otherwise just
// before the capabilities go, while the init still holds the
// CAP_SYS_ADMIN the kernel then asks for (seccomp.go says why).
func execAs(spec *Spec, filter *seccompFilter, first bool) error {
	user, err := LookupUser(spec.User, "/etc/passwd", "/etc/group")
	if err != nil {
		return err
	}
	if spec.Tty {
		if err := setupConsole(spec, os.NewFile(consoleFd, "console-socket"), user.Uid, first); err != nil {
			return err
		}
	}
	if first {
		err = enterWorkdir(spec.Cwd)
	} else if spec.Cwd != "" {
		// exec's directory is not made: the command cannot be run there
		// (126, as runc's "chdir to cwd ... failed").
		if err = unix.Chdir(spec.Cwd); err != nil {
			err = startErrorf(ExitCannotInvoke, "chdir to working directory %s: %v", spec.Cwd, err)
		}
	}
	if err != nil {
		return err
	}
	if !spec.NoNewPrivileges {
		if err := installSeccomp(filter); err != nil {
			return err
		}
	}
	if err := switchUserKeepingDeathSignal(user, spec); err != nil {
		return err
	}
	if err := closeExtraFiles(); err != nil {
		return fmt.Errorf("close inherited descriptors: %w", err)
	}
	if spec.NoNewPrivileges {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			return fmt.Errorf("set no_new_privs: %w", err)
		}
		if err := installSeccomp(filter); err != nil {
			return err
		}
	}
	return execCommand(spec.Args, withHome(spec.Env, user.Home))
}

// switchUserKeepingDeathSignal switches user (switchUser), then sets the
// parent-death signal again: the kernel clears it when the ids change
// (prctl(2)), and a container run as -u 1000 would outlive its
// supervisor, with nobody left to wait for it. runc restores it too.
func switchUserKeepingDeathSignal(user *User, spec *Spec) error {
	var sig int
	if err := unix.Prctl(unix.PR_GET_PDEATHSIG, uintptr(unsafe.Pointer(&sig)), 0, 0, 0); err != nil {
		return fmt.Errorf("read the parent-death signal: %w", err)
	}
	if err := switchUser(user, spec); err != nil {
		return err
	}
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(sig), 0, 0, 0); err != nil {
		return fmt.Errorf("set the parent-death signal again: %w", err)
	}
	return nil
}

// readSpec blocks until the parent has finished its hooks and sent the
// Spec and its seccomp filter: this read is the sync point.
func readSpec() (*Spec, *seccompFilter, error) {
	pipe := os.NewFile(initPipeFd, "init-pipe")
	defer pipe.Close()
	msg := initMessage{Spec: &Spec{}}
	if err := json.NewDecoder(pipe).Decode(&msg); err != nil {
		return nil, nil, fmt.Errorf("read spec from mini: %w", err)
	}
	if len(msg.Args) == 0 {
		return nil, nil, fmt.Errorf("no command specified")
	}
	return msg.Spec, msg.Seccomp, nil
}

// joinNetwork joins another container's network namespace, given as the
// path of its /proc/PID/ns/net: while the host's /proc is still ours to
// read. A network namespace may be joined by one thread of many; the
// command this thread becomes keeps it.
func joinNetwork(network string) error {
	if network == "" || network == "host" {
		return nil
	}
	f, err := os.Open(network)
	if err != nil {
		return fmt.Errorf("open the network namespace to join: %w", err)
	}
	defer f.Close()
	if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("join the network namespace %s: %w", network, err)
	}
	return nil
}

// joinSelf moves this thread (the one that will exec) into the groups
// named by the Spec's JoinFiles: "0" written to a "tasks" file means "the
// thread writing".
func joinSelf(files []string) error {
	for _, f := range files {
		if err := os.WriteFile(f, []byte("0"), 0); err != nil {
			return fmt.Errorf("join cgroup: %w", err)
		}
	}
	return nil
}

// buildRoot makes the container's filesystem view. The umask is cleared
// while device nodes and mount points are made, so their modes are exactly
// the ones asked for, and set back to the usual 022 for the command.
func buildRoot(spec *Spec) error {
	unix.Umask(0)
	defer unix.Umask(0o022)
	if err := enterRootfs(spec); err != nil {
		return err
	}
	if err := mountKernelFilesystems(spec.Privileged); err != nil {
		return err
	}
	if err := mountAll(spec.Mounts); err != nil {
		return err
	}
	if !spec.Privileged {
		if err := maskPaths(); err != nil {
			return err
		}
	}
	if spec.ReadonlyRootfs {
		return makeRootReadonly()
	}
	return nil
}

// enterWorkdir changes to the working directory, making it as Docker does
// when the image lacks it.
func enterWorkdir(dir string) error {
	if dir == "" {
		dir = "/"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("make working directory %s: %w", dir, err)
	}
	if err := unix.Chdir(dir); err != nil {
		return fmt.Errorf("chdir to working directory %s: %w", dir, err)
	}
	return nil
}

// withHome adds HOME from the user's passwd entry unless the environment
// already sets it.
func withHome(env []string, home string) []string {
	for _, kv := range env {
		if strings.HasPrefix(kv, "HOME=") {
			return env
		}
	}
	return append(env, "HOME="+home)
}
