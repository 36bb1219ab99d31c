// Package fastpath is the one switch for mini's optimisations. Each lives
// in a file of its own, headed as an optimisation to skip on first
// reading, and asks On before it leaves the plain path. MINI_PLAIN=1 in
// the environment turns every one of them off, so that a student can run
// the plain path alone and time one against the other:
//
//	MINI_PLAIN=1 sudo bin/mini run --rm IMAGE true
//
// The optimisations kept are those that buy a millisecond or more a start
// (make bench measures them); smaller ones gave way to the plain code.
// Those that are a matter of correctness or security (a cgroup the
// container is born in, the sealed init binary, openat2) are not
// optimisations and have no switch.
package fastpath

import (
	"os"
	"sync"
)

// On says whether the optimisations are on: unless MINI_PLAIN is set.
var On = sync.OnceValue(func() bool { return os.Getenv("MINI_PLAIN") == "" })
