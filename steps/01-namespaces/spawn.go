// An optimisation, to skip on first reading: the container's init started
// before its Spec is known. Start (start.go) is the plain path.
//
// Start does everything in one go. But most of a start is the init program
// itself starting up (a Go program's runtime and package initialisation,
// about a millisecond), and it needs nothing of the Spec: only whether the
// container has a terminal (its stdio) and a network namespace of its own
// (a clone flag). So a supervisor can Spawn the child as soon as it knows
// those two, go on preparing the rest (the container's directory, its
// image, its cgroup) while the child starts up, and hand it the Spec with
// the Child's Start when all is ready. steps/07-runtime/supervisor/early.go
// does that; it takes about a millisecond off a start.

package namespaces

import "fmt"

// Child is a container's init that exists, in its new namespaces, and
// waits at the sync point for its Spec. Nothing in it depends on the Spec
// yet.
type Child struct {
	proc     *Process
	p        *pipes
	tty      bool
	ownNet   bool
	closeExe func()
}

// Spawn makes a container's init in new namespaces and returns while it
// waits for its Spec. opts.Hooks are not used here: they belong to the
// Child's Start.
func Spawn(tty, ownNetwork bool, opts Options) (*Child, error) {
	exe, closeExe, err := opts.initExe()
	if err != nil {
		return nil, err
	}
	p, err := newPipes(tty)
	if err != nil {
		closeExe()
		return nil, err
	}
	child, err := startInit(exe, p, tty, ownNetwork, opts)
	if err != nil {
		p.closeAll()
		closeExe()
		return nil, err
	}
	return &Child{proc: child, p: p, tty: tty, ownNet: ownNetwork, closeExe: closeExe}, nil
}

// Pid is the host PID of the waiting child.
func (c *Child) Pid() int { return c.proc.Pid() }

// Fits reports whether spec can be started in this child: one spawned for
// the same terminal and network namespace choices.
func (c *Child) Fits(spec *Spec) bool {
	return spec.Tty == c.tty && (spec.Network == "") == c.ownNet
}

// Start runs the sync point (the hooks, then the Spec) and returns once
// the command has been executed (or has failed to be).
func (c *Child) Start(spec *Spec, hooks []Hook) (*Process, error) {
	defer c.release()
	if !c.Fits(spec) {
		c.proc.kill()
		return nil, fmt.Errorf("start container init: the spec does not fit the child spawned for it")
	}
	if err := handOver(c.proc, c.p, spec, hooks); err != nil {
		c.proc.kill()
		return nil, err
	}
	return c.proc, nil
}

// Abandon ends a child that will not be started after all.
func (c *Child) Abandon() {
	c.proc.kill()
	c.release()
}

func (c *Child) release() {
	c.p.closeAll()
	c.closeExe()
}
