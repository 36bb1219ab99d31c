// Command mini-shim is a container's supervisor: the small process that
// stays with one container for its whole life (steps/07-runtime/supervisor says why
// there is one). It links only what supervising needs, not mini's image
// and registry code, so that each running container costs little memory.
package main

import (
	"os"

	"mini/steps/07-runtime/supervisor"
)

func main() { os.Exit(supervisor.Main()) }
