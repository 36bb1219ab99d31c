// Command example is step 02 alone: a command in a cgroup of its own,
// with a memory and a PID limit, on whichever cgroup version the machine
// has.
//
//	sudo go run ./steps/02-cgroups/example 32m sleep 2
//	sudo go run ./steps/02-cgroups/example 32m sh -c 'head -c 64m /dev/zero | tail'   # the OOM killer
//
// The command must be in the group before it can start anything, or a
// child it forks first would escape the limits. So the program starts a
// shell that waits on a pipe, moves it into the group, and only then lets
// it exec the command (mini's containers wait the same way, at step 01's
// sync point).
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	cgroups "mini/steps/02-cgroups"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: example MEMORY[k|m|g] COMMAND [ARG...]")
		os.Exit(2)
	}
	limit, err := parseBytes(os.Args[1])
	if err != nil {
		fail(err)
	}
	layout, err := cgroups.DetectLayout()
	if err != nil {
		fail(err)
	}
	name := fmt.Sprintf("example-%d", os.Getpid())
	g, err := cgroups.New("mini-example", name)
	if err != nil {
		fail(err)
	}
	defer cgroups.RemoveParent("mini-example")
	defer g.Destroy()
	if err := g.Apply(&cgroups.Resources{Memory: limit, MemorySwap: limit, PidsLimit: 64}); err != nil {
		fail(err)
	}
	paths := g.Paths() // one per v1 hierarchy, one on v2
	fmt.Printf("example: %s cgroups, group %s (of %d), memory limit %s\n", layout, paths[0], len(paths), os.Args[1])

	// sh waits for a line on its stdin, then becomes the command.
	cmd := exec.Command("sh", append([]string{"-c", `read _ && exec "$@"`, "sh"}, os.Args[2:]...)...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start, err := cmd.StdinPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		fail(err)
	}
	if err := g.Join(cmd.Process.Pid); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		fail(err)
	}
	fmt.Fprintln(start, "go") // in the group: now it may run
	start.Close()
	err = cmd.Wait()
	if st, serr := g.Stats(); serr == nil {
		fmt.Printf("example: CPU %v, memory %d bytes now (limit %d)\n", st.CPUUsage, st.MemoryUsage, st.MemoryLimit)
	}
	if n, _ := g.OOMKills(); n > 0 {
		fmt.Printf("example: the OOM killer killed %d process(es) in the group\n", n)
	}
	if err != nil {
		fmt.Printf("example: %v\n", err)
	}
}

// parseBytes reads 32m, 512k, 1g or a number of bytes.
func parseBytes(s string) (int64, error) {
	mult := int64(1)
	switch strings.ToLower(s[len(s)-1:]) {
	case "k":
		mult = 1 << 10
	case "m":
		mult = 1 << 20
	case "g":
		mult = 1 << 30
	}
	if mult > 1 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid memory %q: want a number of bytes, or k, m or g", s)
	}
	return n * mult, nil
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "example: %v\n", err)
	os.Exit(1)
}
