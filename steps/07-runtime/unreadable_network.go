// A network whose record cannot be read.
//
// A record is written whole and renamed into place, but a disk can still
// lose its end, or a hand edit it. Such a network still has a bridge, NAT
// rules and an address pool on the host, and containers may run on it.
// It must neither vanish from network ls nor be impossible to remove. So
// the bridge carries the record's path in its alias (step 05's Label):
// network rm finds the bridge by it, reads the subnet off the bridge's own
// address, and removes the bridge, its rules, its pool and the record.

package runtime

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	network "mini/steps/05-network"
	"mini/steps/07-runtime/store"
	"mini/steps/07-runtime/supervisor"
)

// UnreadableNetworkError is a network whose record cannot be read.
type UnreadableNetworkError struct {
	Name, Path string
	Err        error
}

func (e *UnreadableNetworkError) Error() string {
	return fmt.Sprintf("network %s: its record %s is unreadable (%v): mini network rm %s removes it", e.Name, e.Path, e.Err, e.Name)
}

// UnreadableNetworks lists the networks whose record cannot be read.
func (rt *Runtime) UnreadableNetworks() []*UnreadableNetworkError {
	var out []*UnreadableNetworkError
	for _, name := range rt.networkNames() {
		if _, err := rt.Network(name); err != nil {
			if u, ok := asUnreadableNetwork(err); ok {
				out = append(out, u)
			}
		}
	}
	return out
}

// networkNames are the names of the network records, readable or not.
func (rt *Runtime) networkNames() []string {
	files, _ := filepath.Glob(filepath.Join(store.Networks(rt.Root), "*.json"))
	var names []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".addresses.json") { // an earlier mini's pools
			names = append(names, strings.TrimSuffix(filepath.Base(f), ".json"))
		}
	}
	return names
}

// removeUnreadableNetwork removes what the host holds for a network
// whose record is lost: the bridge labelled with the record's path, its
// rules and its pool; then the record.
func (rt *Runtime) removeUnreadableNetwork(u *UnreadableNetworkError) error {
	if bridge, subnet := network.Labelled(u.Path); bridge != "" {
		if subnet != nil {
			if err := supervisor.RemoveNetwork(bridge, subnet.String()); err != nil {
				return err
			}
		} else if err := network.RemoveBridge(bridge); err != nil {
			return err
		}
		(&network.Pool{Dir: network.PoolDir(bridge)}).Remove()
	}
	if err := os.Remove(u.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", u.Path, err)
	}
	return nil
}

// asUnreadableNetwork says whether err is a network whose record cannot
// be read.
func asUnreadableNetwork(err error) (*UnreadableNetworkError, bool) {
	var u *UnreadableNetworkError
	return u, errors.As(err, &u)
}
