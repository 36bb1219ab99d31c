// An optimisation, to skip on first reading: what the supervisor does
// before the job comes (mini/early.go is the CLI's side; MINI_PLAIN=1 turns
// both off).
//
// mini run starts its supervisor before it has even parsed its flags, and
// sends it a Prepare as soon as they are (FramePrepare): the container's
// ID, cgroup, terminal and network choices, nothing more. The supervisor
// spawns the container's init with them (step 01's Spawn), which waits for
// its Spec, takes the run lock and makes the cgroup, all while the CLI is
// still unpacking the image and making the container's directory. A Go
// program's start-up, the init's, is the slowest step on the way to the
// container; this way it overlaps the rest.

package supervisor

import (
	"os"

	namespaces "mini/steps/01-namespaces"
	cgroups "mini/steps/02-cgroups"
)

// Prepare is the payload of FramePrepare.
type Prepare struct {
	ID         string     `json:"id"`
	Root       string     `json:"root"`
	Cgroup     *CgroupJob `json:"cgroup,omitempty"` // nil: --cgroups disabled
	Privileged bool       `json:"privileged,omitempty"`
	Tty        bool       `json:"tty,omitempty"`
	OpenStdin  bool       `json:"open_stdin,omitempty"`
	// SharedNetwork: --net host or container:, no network namespace of
	// the container's own.
	SharedNetwork bool `json:"shared_network,omitempty"`
	Networked     bool `json:"networked,omitempty"` // addresses for a sweep to give back
}

// earlyStart is the work begun before the job comes, when a Prepare does.
type earlyStart struct {
	s      *Supervisor
	sealed <-chan *os.File
	done   chan struct{}
	begun  bool
}

// beginEarly seals the init binary in the background, if the CLI named it,
// and waits for a Prepare.
func (s *Supervisor) beginEarly() *earlyStart {
	return &earlyStart{s: s, sealed: sealAhead(os.Getenv(InitEnv)), done: make(chan struct{})}
}

// prepare starts on the container a Prepare describes, once.
func (e *earlyStart) prepare(p *Prepare) {
	if !e.begun {
		e.begun = true
		e.s.prepareEarly(p, e.sealed, e.done)
	}
}

// wait waits for what prepare started, if anything.
func (e *earlyStart) wait() {
	if !e.begun {
		close(e.done)
	}
	<-e.done
}

// InitEnv names the container's init program in a new supervisor's
// environment: sealing it is the first step to the container's init, and
// starts before anything else.
const InitEnv = "MINI_SHIM_INIT"

// sealAhead seals the init binary in the background (step 01's
// SealBinary); the channel gives it, or nil when there is none or sealing
// failed (the start then seals its own).
func sealAhead(bin string) <-chan *os.File {
	c := make(chan *os.File, 1)
	if bin == "" {
		c <- nil
		return c
	}
	go func() {
		f, _ := namespaces.SealBinary(bin)
		c <- f
	}()
	return c
}

// prepareEarly spawns the first start's init, then takes the run lock and
// makes the first start's cgroup in the background, closing done when
// all is made. Errors are kept, to be reported once the job has come.
// The spawn comes first, as soon as the init binary is sealed: it needs
// nothing else on cgroup v1. On v2 the child is born in its group, which
// must exist first.
func (s *Supervisor) prepareEarly(p *Prepare, sealed <-chan *os.File, done chan struct{}) {
	s.prep = p
	s.init = <-sealed // nil on failure: Start tries again
	born := bornInGroup(p)
	if !born {
		s.child = spawnEarly(p, s.init, nil)
	}
	go func() {
		defer close(done)
		s.lock, s.earlyErr = acquireLock(p.Root, p.ID, p.Cgroup, p.Networked)
		if s.earlyErr == nil && p.Cgroup != nil {
			s.early, s.earlyErr = newCgroup(p.Cgroup, p.ID, p.Privileged)
		}
		if born && s.early != nil {
			s.child = spawnEarly(p, s.init, s.early.dir)
		}
	}()
}

// bornInGroup says whether the container's init is created in its cgroup
// (v2) rather than joining it itself (v1).
func bornInGroup(p *Prepare) bool {
	layout, err := cgroups.DetectLayout()
	return p.Cgroup != nil && err == nil && layout == cgroups.Unified
}

// earlyChild is the first start's init, spawned before the job came, and
// the stdio it was given.
type earlyChild struct {
	*namespaces.Child
	io        *stdio
	openStdin bool
}

// spawnEarly spawns the first start's init with what the Prepare says:
// its terminal, its stdin, whether it has a network namespace of its own.
// On failure it returns nil, and the start spawns its own.
func spawnEarly(p *Prepare, init, cgroupDir *os.File) *earlyChild {
	if init == nil {
		return nil
	}
	io, err := newStdio(p.Tty, p.OpenStdin)
	if err != nil {
		return nil
	}
	opts := namespaces.Options{Init: init, Stdio: io.forChild(), CgroupDir: cgroupDir}
	c, err := namespaces.Spawn(p.Tty, !p.SharedNetwork, opts)
	io.closeChildEnds()
	if err != nil {
		io.closeAll()
		return nil
	}
	return &earlyChild{Child: c, io: io, openStdin: p.OpenStdin}
}

// takeChild hands the early child to a start whose spec it fits, once;
// one that does not fit is ended.
func (s *Supervisor) takeChild(spec *namespaces.Spec) *earlyChild {
	c := s.child
	s.child = nil
	if c != nil && (!c.Fits(spec) || c.openStdin != s.job.OpenStdin) {
		c.abandon()
		return nil
	}
	return c
}

// abandon ends an early child that will not be started.
func (c *earlyChild) abandon() {
	c.Abandon()
	c.io.closeAll()
}

// undoEarly removes what prepareEarly made, for a job that never came or
// cannot start, and lets go of the run lock.
func (s *Supervisor) undoEarly() {
	if s.child != nil {
		s.child.abandon()
		s.child = nil
	}
	if s.early != nil {
		s.early.closeDir()
		RemoveCgroup(s.prep.Cgroup.Parent, s.prep.ID)
	}
	if s.lock != nil {
		s.lock.Release()
		s.lock = nil
	}
}
