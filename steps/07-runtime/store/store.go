// Package store is where mini keeps its state: the one definition of the
// layout under the state root (--root, env MINI_ROOT, /var/lib/mini by
// default) and of the lock that orders changes to the containers' names.
// Nothing else in mini spells out a path under the state root.
//
//	containers/                 the containers, one directory each
//	containers/.lock            held while a name is taken or changed
//	containers/ID/container.json  the record: what the container is made
//	                            from and what its supervisor starts
//	containers/ID/state.json    what is true: status, pid, exit code, times
//	containers/ID/upper, work   its writable layer and overlayfs's scratch
//	containers/ID/init          its init layer: the files bound over the image's
//	containers/ID/merged        where its root is mounted (in its own mount
//	                            namespace only)
//	containers/ID/log.json      its output, one JSON object a line
//	containers/ID/attach.sock   its supervisor's socket, while it runs
//	containers/ID/hostname, hosts, resolv.conf  bound over the container's
//	containers/ID/connections.json  the user networks it was connected to
//	run/ID.lock                 held by its supervisor while it runs
//	run/ID.removed              a --rm container's files, being deleted
//	events.log                  what happened, one JSON object a line
//	volumes/NAME/_data          a volume's files
//	networks/NAME.json          a user network (its bridge's alias names this
//	                            file; its address pool is the bridge's, host-wide:
//	                            /run/mini/addresses/BRIDGE, step 05)
//	networks/.lock              held while a network is made or removed
//	images/                     step 04's image store (imagestore says how)
//
// Files are written whole under a temporary name and renamed into place
// (WriteJSON), so a mini killed at any moment leaves no half-written file.
package store

import (
	"encoding/json"
	"path/filepath"

	"mini/internal/atomicfile"
	"mini/internal/flock"
)

// Containers is the directory of every container.
func Containers(root string) string { return filepath.Join(root, "containers") }

// Container is one container's directory.
func Container(root, id string) Dir { return Dir(filepath.Join(Containers(root), id)) }

// Dir is a container's directory; its methods name the files in it.
type Dir string

// The names of a container's files, for code that opens them relative to
// the directory (the supervisor's socket, made through a descriptor).
const (
	RecordName = "container.json"
	SocketName = "attach.sock"
)

func (d Dir) Record() string      { return d.file(RecordName) }
func (d Dir) State() string       { return d.file("state.json") }
func (d Dir) Upper() string       { return d.file("upper") }
func (d Dir) Work() string        { return d.file("work") }
func (d Dir) Merged() string      { return d.file("merged") }
func (d Dir) Init() string        { return d.file("init") } // the files bound over the image's
func (d Dir) Log() string         { return d.file("log.json") }
func (d Dir) Socket() string      { return d.file(SocketName) }
func (d Dir) Connections() string { return d.file("connections.json") }

// NetworkFile is one of the files the network stage binds over the
// container's own: "hostname", "hosts" or "resolv.conf".
func (d Dir) NetworkFile(name string) string { return d.file(name) }

func (d Dir) file(name string) string { return filepath.Join(string(d), name) }

// RunDir holds the run locks of running containers.
func RunDir(root string) string { return filepath.Join(root, "run") }

// RunLock is the lock a container's supervisor holds while it runs.
func RunLock(root, id string) string { return filepath.Join(RunDir(root), id+".lock") }

// Removed is where a container removed by --rm has its directory until its
// files are deleted: beside its run lock, out of the list of containers.
func Removed(root, id string) string { return filepath.Join(RunDir(root), id+".removed") }

// Events is the events log.
func Events(root string) string { return filepath.Join(root, "events.log") }

// Volumes is the directory of every volume.
func Volumes(root string) string { return filepath.Join(root, "volumes") }

// Volume is a volume's directory; its files are in VolumeData.
func Volume(root, name string) string { return filepath.Join(Volumes(root), name) }

// VolumeData is where a volume's files are.
func VolumeData(root, name string) string { return filepath.Join(Volume(root, name), "_data") }

// Networks is the directory of the user networks' records and pools.
func Networks(root string) string { return filepath.Join(root, "networks") }

// Network is a user network's record.
func Network(root, name string) string { return filepath.Join(Networks(root), name+".json") }

// NetworksLock is held while a user network is made or removed.
func NetworksLock(root string) string { return filepath.Join(Networks(root), ".lock") }

// WriteJSON writes v to path, all or nothing (internal/atomicfile).
func WriteJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, data)
}

// WithNamesLock runs fn holding the lock that orders changes to the
// containers' names (an flock on containers/.lock): a name is checked and
// taken, or changed, while no other mini can do the same.
func WithNamesLock(root string, fn func() error) error {
	if err := makeContainersDir(Containers(root)); err != nil {
		return err
	}
	return flock.With(filepath.Join(Containers(root), ".lock"), fn)
}
