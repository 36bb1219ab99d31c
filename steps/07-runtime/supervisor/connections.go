// Extra networks a running container was connected to (mini network
// connect: a second interface, like the pipework recipe). The CLI plugs
// them in and records them in the container's directory; whoever ends
// the container's run (its supervisor, or the sweep after a crash) gives
// their addresses back.

package supervisor

import (
	"encoding/json"
	"os"

	"mini/internal/atomicfile"
	"mini/internal/flock"
	network "mini/steps/05-network"
	"mini/steps/07-runtime/store"
)

// Connection is one extra network of a container.
type Connection struct {
	Network string `json:"network"`
	Pool    string `json:"pool"`
	HostIf  string `json:"host_if"`
	IfName  string `json:"if_name"`
	IP      string `json:"ip"`
}

// ChangeConnections applies fn to a container's connections under a lock.
func ChangeConnections(dir store.Dir, fn func([]Connection) ([]Connection, error)) error {
	return flock.With(dir.Connections()+".lock", func() error {
		conns, err := fn(Connections(dir))
		if err != nil {
			return err
		}
		if len(conns) == 0 {
			os.Remove(dir.Connections())
			return nil
		}
		data, _ := json.MarshalIndent(conns, "", "  ")
		return atomicfile.WriteBytes(dir.Connections(), data)
	})
}

// Connections reads a container's extra networks.
func Connections(dir store.Dir) []Connection {
	var conns []Connection
	if data, err := os.ReadFile(dir.Connections()); err == nil {
		json.Unmarshal(data, &conns)
	}
	return conns
}

// releaseConnections unplugs every extra network of container id and
// gives their addresses back.
func releaseConnections(dir store.Dir, id string) {
	if _, err := os.Stat(dir.Connections()); err != nil {
		return // none: the usual case
	}
	ChangeConnections(dir, func(conns []Connection) ([]Connection, error) {
		for _, c := range conns {
			network.Disconnect(c.HostIf)
			(&network.Pool{Dir: c.Pool}).Release(id)
		}
		return nil, nil
	})
	os.Remove(dir.Connections() + ".lock")
}
