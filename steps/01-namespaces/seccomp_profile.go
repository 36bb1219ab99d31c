// Which seccomp rules apply to a container: Docker's profiles.
//
// Docker writes its seccomp profiles in a JSON format a little richer
// than the OCI runtime spec's: a rule may apply only on some
// architectures, from some kernel version on, or only to a container
// that has (or lacks) a capability. CAP_SYS_ADMIN brings mount, umount,
// setns, unshare and clone with new namespaces; CAP_SYS_PTRACE brings
// ptrace; without CAP_SYS_ADMIN, clone3 answers ENOSYS so that C
// libraries fall back to clone, whose flags the filter can read. Moby
// publishes its default profile and the code that resolves those
// conditions (github.com/moby/profiles/seccomp); mini uses both, and
// compiles the OCI rules they give (seccomp.go). A profile given with
// --security-opt seccomp=FILE is read the same way.
//
// The parent resolves and compiles the profile at each start, for the
// container's capabilities and this kernel, and sends the program with
// the Spec (initMessage); the init installs it.

package namespaces

import (
	"fmt"
	"unsafe"

	"github.com/moby/profiles/seccomp"
	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// SeccompUnconfined, as a Spec's Seccomp, runs the container without a
// filter (--security-opt seccomp=unconfined).
const SeccompUnconfined = "unconfined"

// seccompFilter is a compiled filter, as the parent sends it to the
// init: struct sock_filter after struct sock_filter, 8 bytes each, and
// the flags for seccomp(2).
type seccompFilter struct {
	Program []byte `json:"program"`
	Flags   uint   `json:"flags,omitempty"`
}

// initMessage is what crosses the init pipe at the sync point: the Spec,
// and the filter the parent compiled for it (nil: none).
type initMessage struct {
	*Spec
	Seccomp *seccompFilter `json:"seccomp_filter,omitempty"`
}

// CheckSeccomp compiles a profile of the user's and throws the filter
// away: what is wrong with it is said when the container is created, not
// at each start. Docker's own profile needs no check (the tests compile
// it), and a create does not pay for it.
func CheckSeccomp(spec *Spec) error {
	if spec.Seccomp == "" {
		return nil
	}
	_, err := seccompFor(spec)
	return err
}

// seccompFor is the filter for the Spec: Docker's default profile, the
// Spec's own, or none (unconfined). A process that is privileged but not
// unconfined, as docker exec --privileged runs one, keeps its filter.
func seccompFor(spec *Spec) (*seccompFilter, error) {
	if spec.Seccomp == SeccompUnconfined {
		return nil, nil
	}
	rules, err := seccompRules(spec)
	if err != nil || rules == nil {
		return nil, err
	}
	flags, err := seccompFlags(rules.Flags)
	if err != nil {
		return nil, err
	}
	prog, err := compileSeccomp(rules)
	if err != nil {
		return nil, fmt.Errorf("seccomp profile: %w", err)
	}
	size := len(prog) * int(unsafe.Sizeof(prog[0]))
	return &seccompFilter{Program: unsafe.Slice((*byte)(unsafe.Pointer(&prog[0])), size), Flags: flags}, nil
}

// seccompRules resolves the profile's conditions for the Spec's
// capabilities, this machine and this kernel. nil: the profile is
// empty, which Docker reads as no filter.
func seccompRules(spec *Spec) (*specs.LinuxSeccomp, error) {
	container := &specs.Spec{Process: &specs.Process{
		Capabilities: &specs.LinuxCapabilities{Bounding: spec.capabilities()}}}
	if spec.Seccomp == "" {
		return seccomp.GetDefaultProfile(container)
	}
	rules, err := seccomp.LoadProfile(spec.Seccomp, container)
	if err != nil {
		return nil, fmt.Errorf("seccomp profile: %w", err)
	}
	return rules, nil
}

// seccompFlags are the flags a profile may ask of seccomp(2).
func seccompFlags(names []specs.LinuxSeccompFlag) (uint, error) {
	var flags uint
	for _, f := range names {
		switch f {
		case specs.LinuxSeccompFlagLog:
			flags |= unix.SECCOMP_FILTER_FLAG_LOG
		case specs.LinuxSeccompFlagSpecAllow:
			flags |= unix.SECCOMP_FILTER_FLAG_SPEC_ALLOW
		case "SECCOMP_FILTER_FLAG_TSYNC":
			// The init is one thread when it execs: nothing to sync.
		default:
			return 0, fmt.Errorf("seccomp profile: flag %q is not supported", f)
		}
	}
	return flags, nil
}
