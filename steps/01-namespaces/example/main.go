// Command example is step 01 alone: a command in new namespaces, with a
// directory as its root, and nothing else of mini (no cgroup, no overlay,
// no supervisor, no image).
//
//	go run ./tools/mkrootfs /tmp/rootfs
//	sudo go run ./steps/01-namespaces/example /tmp/rootfs sh -c 'hostname; echo PID $$; ls /'
//
// The program runs twice. First as itself: it fills in a Spec and calls
// Start, which starts this same program again in new namespaces. That
// second run sees "init" as its argument and becomes the container's
// first process (Init): it waits at the sync point, reads the Spec, makes
// its mounts private, pivots into the root, mounts /proc, /sys and /dev,
// drops capabilities and execs the command.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	namespaces "mini/steps/01-namespaces"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == namespaces.InitCommand {
		namespaces.Init() // the second run: become the container; never returns
	}
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: example ROOTFS COMMAND [ARG...]")
		os.Exit(2)
	}
	rootfs, err := filepath.Abs(os.Args[1])
	if err != nil {
		fail(err)
	}
	spec := &namespaces.Spec{
		Rootfs:   rootfs,
		Args:     os.Args[2:],
		Env:      []string{"PATH=" + namespaces.DefaultPath, "HOSTNAME=example"},
		Hostname: "example",
	}
	// The container's stdio is this program's own. Its network namespace
	// is new and holds only a loopback interface (step 05 wires more).
	opts := namespaces.Options{Stdio: namespaces.Stdio{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}}
	p, err := namespaces.Start(spec, opts)
	if err != nil {
		fail(err) // a StartError: 126 or 127 when the command cannot run
	}
	fmt.Fprintf(os.Stderr, "example: the container's first process is PID %d on the host\n", p.Pid())
	code, err := p.Wait()
	if err != nil {
		fail(err)
	}
	os.Exit(code)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "example: %v\n", err)
	if se, ok := err.(*namespaces.StartError); ok {
		os.Exit(se.Code)
	}
	os.Exit(namespaces.ExitRuntime)
}
