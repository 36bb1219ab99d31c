// Command example is step 07 alone: the runtime's API, as mini's commands
// and an API server call it. It creates a container from a directory,
// starts it under its supervisor, waits for it, prints its log, and
// removes it.
//
//	go run ./tools/mkrootfs /tmp/rootfs
//	sudo go run ./steps/07-runtime/example /tmp/rootfs sh -c 'echo hello from $(hostname)'
//
// This program is all three programs of a container's life: the command
// that asks (itself), the container's supervisor ("shim") and the
// container's first process ("init"), chosen by its first argument, as
// mini is when mini-shim and mini-init are not installed beside it.
package main

import (
	"fmt"
	"os"

	namespaces "mini/steps/01-namespaces"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case namespaces.InitCommand:
			namespaces.Init() // the container's first process
		case supervisor.Command:
			os.Exit(supervisor.Main()) // the container's supervisor
		}
	}
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: example ROOTFS COMMAND [ARG...]")
		os.Exit(2)
	}
	self, err := os.Executable()
	check(err)
	root, err := os.MkdirTemp("", "runtime-example-") // a state root of its own
	check(err)
	defer os.RemoveAll(root)
	// "": the supervisor starts this program again as the init.
	rt := runtime.New(root, "", []string{self, "example", supervisor.Command})

	c, err := rt.CreateFrom(&runtime.CreateOptions{Name: "example", Rootfs: os.Args[1], Cmd: os.Args[2:],
		Network: runtime.NetworkOptions{Mode: supervisor.NetNone}})
	check(err)
	fmt.Printf("created %s (%s), state %s\n", c.ShortID(), c.Name, c.State().Status)
	check(rt.Start("example"))
	fmt.Printf("started: state %s, pid %d\n", c.State().Status, c.State().Pid)
	code, err := rt.Wait("example")
	check(err)
	fmt.Printf("exited with %d; its log:\n", code)
	check(rt.Logs("example", runtime.LogsOptions{Tail: -1}, func(e *supervisor.LogEntry) {
		fmt.Printf("  %s: %s", e.Stream, e.Log)
	}))
	check(rt.Remove("example", false, false))
	fmt.Println("removed")
}

func check(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "example: %v\n", err)
		os.Exit(1)
	}
}
