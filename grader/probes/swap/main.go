// Command swap exchanges two paths atomically (renameat2 with
// RENAME_EXCHANGE), as fast as it can, until it is killed: run in a
// container on a directory and a symlink to a host path, it is the
// attacker of the race scenarios (03-unionfs/cp-race), which check that a
// copy or commit from the host never follows the symlink.
//
//	swap A B
package main

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: swap A B")
		os.Exit(2)
	}
	a, b := os.Args[1], os.Args[2]
	if err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE); err != nil {
		fmt.Fprintf(os.Stderr, "swap %s and %s: %v\n", a, b, err)
		os.Exit(1)
	}
	for {
		unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	}
}
