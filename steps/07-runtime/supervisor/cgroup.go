// The container's cgroup, seen from the supervisor: made before each start,
// joined at the sync point, removed when the container's process is gone.

package supervisor

import (
	"os"

	namespaces "mini/steps/01-namespaces"
	cgroups "mini/steps/02-cgroups"
)

// startCgroup is a group made for one start of the container.
type startCgroup struct {
	group     cgroups.Group
	mounts    []namespaces.Mount
	dir       *os.File // for CLONE_INTO_CGROUP (v2), else nil
	joinFiles []string // for the child to join itself (v1), else nil
}

// newCgroup makes the container's group with the job's limits. Any
// failure leaves nothing made.
func newCgroup(cg *CgroupJob, id string, privileged bool) (*startCgroup, error) {
	g, err := cgroups.New(cg.Parent, id)
	if err != nil {
		return nil, err
	}
	sc := &startCgroup{group: g, joinFiles: g.SelfJoinFiles()}
	sc.mounts, err = cgroups.ContainerMounts(!privileged)
	if err == nil {
		err = g.Apply(cg.resources())
	}
	if err == nil {
		sc.dir, err = g.CloneInto()
	}
	if err != nil {
		RemoveCgroup(cg.Parent, id)
		return nil, err
	}
	return sc, nil
}

// place adds the cgroup filesystem to spec's mounts and arranges for the
// container's first process to be in the group before it runs anything:
// born there on cgroup v2; on v1, joining it itself as its first act after
// the sync point.
func (sc *startCgroup) place(spec *namespaces.Spec, opts *namespaces.Options) {
	spec.Mounts = append(append([]namespaces.Mount(nil), sc.mounts...), spec.Mounts...)
	spec.JoinFiles = sc.joinFiles
	opts.CgroupDir = sc.dir
}

// closeDir drops the descriptor kept for CLONE_INTO_CGROUP.
func (sc *startCgroup) closeDir() {
	if sc.dir != nil {
		sc.dir.Close()
		sc.dir = nil
	}
}
