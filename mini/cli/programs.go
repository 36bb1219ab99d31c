// The programs a mini command starts, and the runtime that starts them:
// the container's init (mini-init) and its supervisor (mini-shim), found
// beside this program, or this program itself in their roles.

package cli

import (
	"cmp"
	"os"
	"path/filepath"
	"sync"

	"github.com/spf13/cobra"

	namespaces "mini/steps/01-namespaces"
	cgroups "mini/steps/02-cgroups"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

// Runtime is the container engine (steps/07-runtime) over the state
// root root.
func Runtime(root string) *runtime.Runtime {
	return runtime.New(root, InitPath(), SupervisorArgv())
}

// SelfPath is this program's path, read once (a readlink of
// /proc/self/exe): a run asks for it several times on its way.
var SelfPath = sync.OnceValue(func() string {
	exe, _ := os.Executable()
	return exe
})

// SiblingProgram is the path of the program name installed beside this
// one (mini-init, mini-shim), or "" when there is none.
func SiblingProgram(name string) string {
	if SelfPath() == "" {
		return ""
	}
	p := filepath.Join(filepath.Dir(SelfPath()), name)
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
		return p
	}
	return ""
}

// InitPath is InitBinary as a path for the supervisor, which is another
// program: "mini itself" is this executable. A run needs it twice (the
// supervisor seals it at once, and the Job names it); it is looked up
// once.
var InitPath = sync.OnceValue(func() string {
	if p := InitBinary(); p != "" {
		return p
	}
	return SelfPath()
})

// InitBinary is the container's init program: $MINI_INIT if set ("self"
// for mini itself), else mini-init beside this binary when it is there,
// else mini itself (mini/init/main.go says why a separate one is faster).
func InitBinary() string {
	switch env := os.Getenv("MINI_INIT"); env {
	case "self":
		return ""
	case "":
		return SiblingProgram("mini-init")
	default:
		return env
	}
}

// SupervisorArgv is the supervisor program and its argv: $MINI_SHIM if
// set ("self" for mini itself), else mini-shim beside this binary, else
// mini itself run as "mini shim" (its hidden subcommand). It is looked up
// once.
var SupervisorArgv = sync.OnceValue(func() []string {
	self := []string{SelfPath(), "mini", supervisor.Command}
	switch env := os.Getenv("MINI_SHIM"); env {
	case "self":
		return self
	case "":
	default:
		return []string{env, "mini-shim"}
	}
	if sibling := SiblingProgram("mini-shim"); sibling != "" {
		return []string{sibling, "mini-shim"}
	}
	return self
})

// DefaultRoot is --root's default: $MINI_ROOT, else /var/lib/mini.
func DefaultRoot() string {
	if r := os.Getenv("MINI_ROOT"); r != "" {
		return r
	}
	return "/var/lib/mini"
}

// DefaultNetwork is --net's default: $MINI_NETWORK, else bridge.
func DefaultNetwork() string { return cmp.Or(os.Getenv("MINI_NETWORK"), "bridge") }

// DefaultCgroupParent is --cgroup-parent's default: $MINI_CGROUP_PARENT,
// else "mini".
func DefaultCgroupParent() string {
	if p := os.Getenv("MINI_CGROUP_PARENT"); p != "" {
		return p
	}
	return cgroups.DefaultParent
}

// HiddenCommands are the entry points of mini running itself for another
// role, when the small program for that role is not installed beside it:
// a container's first process ("mini init", steps/01-namespaces; never
// returns), mini exec's helper ("mini enter", enter.go; never returns) and
// a container's supervisor ("mini shim", steps/07-runtime/supervisor).
func HiddenCommands() []*cobra.Command {
	roles := []struct {
		use string
		run func()
	}{
		{namespaces.InitCommand, namespaces.Init},
		{namespaces.EnterCommand, namespaces.EnterInit},
		{supervisor.Command, func() { os.Exit(supervisor.Main()) }},
	}
	var cmds []*cobra.Command
	for _, r := range roles {
		run := r.run
		cmds = append(cmds, &cobra.Command{Use: r.use, Hidden: true, DisableFlagParsing: true,
			Run: func(*cobra.Command, []string) { run() }})
	}
	return cmds
}
