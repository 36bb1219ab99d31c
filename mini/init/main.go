// Command mini-init is a container's first process before it becomes the
// user's command (step 01's Init), and mini exec's helper before it
// becomes the exec'd command (step 01's EnterInit), and nothing else.
//
// mini could run itself again for this (and does, when mini-init is not
// installed beside it), but mini links everything: images, registries,
// compression. Every package's initialisation runs when a Go program
// starts, even in a process that will use none of it, and mini's take over
// a millisecond; this program's take a tenth of one. runc has a companion
// of the same kind, runc-dmz.
package main

import (
	"os"

	namespaces "mini/steps/01-namespaces"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == namespaces.EnterCommand {
		namespaces.EnterInit() // mini exec's helper
	}
	namespaces.Init()
}
