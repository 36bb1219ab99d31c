// A container whose record cannot be read.
//
// A record is written to a temporary name and renamed into place, so a
// directory without one is a container being made or removed, and List
// passes it by. But one whose container.json exists and does not parse
// (a disk that lost the end of it, a hand that edited it) is a container
// all the same: its supervisor may even run. It must not vanish. Find
// names the file when nothing readable matches, ps says such containers
// exist, and rm -f removes one: stops its supervisor, deletes its
// directory, sweeps what the supervisor leaves.

package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"

	"mini/steps/07-runtime/store"
	"mini/steps/07-runtime/supervisor"
)

// UnreadableError is a container whose record cannot be read.
type UnreadableError struct {
	ID, Path string
	Err      error
}

func (e *UnreadableError) Error() string {
	return fmt.Sprintf("container %s: its record %s is unreadable (%v): mini rm -f %s removes it", e.ID[:12], e.Path, e.Err, e.ID[:12])
}

// Unreadable lists the containers whose record cannot be read.
func (rt *Runtime) Unreadable() []*UnreadableError {
	entries, _ := os.ReadDir(store.Containers(rt.Root))
	var out []*UnreadableError
	for _, e := range entries {
		if !e.IsDir() || len(e.Name()) != 64 {
			continue
		}
		path := store.Container(rt.Root, e.Name()).Record()
		data, err := os.ReadFile(path)
		if err != nil {
			continue // being made or removed
		}
		var rec Record
		if err := json.Unmarshal(data, &rec); err != nil {
			out = append(out, &UnreadableError{ID: e.Name(), Path: path, Err: err})
		}
	}
	return out
}

// findUnreadable is the unreadable container ref names (its ID or a
// prefix of it), as an error; nil when none.
func (rt *Runtime) findUnreadable(ref string) error {
	if ref == "" {
		return nil
	}
	for _, u := range rt.Unreadable() {
		if strings.HasPrefix(u.ID, ref) {
			return u
		}
	}
	return nil
}

// removeUnreadable removes a container whose record cannot be read: its
// supervisor, if one runs, is stopped first, as rm -f stops any.
func (rt *Runtime) removeUnreadable(u *UnreadableError) error {
	c := &Container{Dir: store.Container(rt.Root, u.ID)}
	c.ID, c.Root, c.Name = u.ID, rt.Root, u.ID[:12]
	if c.Alive() {
		if _, err := c.sendStop(syscall.SIGKILL, -1); err != nil {
			return err
		}
	}
	if err := os.RemoveAll(string(c.Dir)); err != nil {
		return fmt.Errorf("remove %s: %w", c.Dir, err)
	}
	supervisor.Sweep(rt.Root)
	c.Event("destroy")
	return nil
}

// asUnreadable says whether err is a container whose record cannot be read.
func asUnreadable(err error) (*UnreadableError, bool) {
	var u *UnreadableError
	return u, errors.As(err, &u)
}
