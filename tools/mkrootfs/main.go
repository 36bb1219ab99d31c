// Command mkrootfs makes a busybox root filesystem in a directory, for the
// demo, the benchmarks and the labs: go run ./tools/mkrootfs DIR
package main

import (
	"fmt"
	"os"

	"mini/internal/fixture"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: mkrootfs DIR")
		os.Exit(2)
	}
	if err := fixture.BusyboxRootfs(os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "mkrootfs: %v\n", err)
		os.Exit(1)
	}
}
