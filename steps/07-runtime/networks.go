// User networks (mini network create): each a bridge and a subnet of its
// own (step 05), recorded in the store. Containers on one user network find
// each other by name: their supervisors keep each other's /etc/hosts.

package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"mini/steps/07-runtime/store"
)

// NetworkRecord is a user network: networks/NAME.json.
type NetworkRecord struct {
	Name    string    `json:"Name"`
	ID      string    `json:"Id"`
	Bridge  string    `json:"Bridge"`
	Subnet  string    `json:"Subnet"`
	Gateway string    `json:"Gateway"`
	Created time.Time `json:"Created"`
}

// Network reads a user network's record.
func (rt *Runtime) Network(name string) (*NetworkRecord, error) {
	data, err := os.ReadFile(store.Network(rt.Root, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, notFound("no such network: %s", name)
	}
	if err != nil {
		return nil, err
	}
	var n NetworkRecord
	if err := json.Unmarshal(data, &n); err != nil {
		return nil, fmt.Errorf("read network %s: %w", name, err)
	}
	return &n, nil
}

// Networks lists the user networks, by name.
func (rt *Runtime) Networks() []*NetworkRecord {
	files, _ := filepath.Glob(filepath.Join(store.Networks(rt.Root), "*.json"))
	var out []*NetworkRecord
	for _, f := range files {
		if strings.HasSuffix(f, ".addresses.json") {
			continue
		}
		if n, err := rt.Network(strings.TrimSuffix(filepath.Base(f), ".json")); err == nil {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
