// Which containers are alive, known without a daemon.
//
// While a container runs, its supervisor holds an exclusive flock(2) on
// $root/run/ID.lock. The kernel drops the lock when the supervisor exits,
// however it exits, SIGKILL included. So any mini can tell a live container
// from the leftovers of a dead one: if it can take the lock, nobody is
// holding it, and what the file describes (the container's cgroup) is left
// over and can be removed (cleanup.go). The file holds what cleanup needs
// to know.

package supervisor

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"mini/steps/07-runtime/store"

	"golang.org/x/sys/unix"
)

// RunRecord is what a run lock file says about its container.
type RunRecord struct {
	ID           string `json:"id"`
	CgroupParent string `json:"cgroup_parent"`
	Supervisor   int    `json:"supervisor"`          // the supervisor's PID
	Networked    bool   `json:"networked,omitempty"` // on a network of its own: addresses to give back (step 05)
}

// RunLock is a held lock on a running container.
type RunLock struct {
	f    *os.File
	path string
}

// AcquireRunLock creates and locks the container's run lock and records
// rec in it. The file is written before it is locked by name, so a reader
// never sees it half written: it is made under a temporary name and renamed.
func AcquireRunLock(root string, rec RunRecord) (*RunLock, error) {
	dir := store.RunDir(root)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make %s: %w", dir, err)
	}
	data, _ := json.Marshal(rec)
	tmp, err := os.CreateTemp(dir, ".tmp-"+rec.ID[:12]+"-")
	if err != nil {
		return nil, fmt.Errorf("create run lock in %s: %w", dir, err)
	}
	if err := unix.Flock(int(tmp.Fd()), unix.LOCK_EX); err == nil {
		_, err = tmp.Write(data)
	}
	path := store.RunLock(root, rec.ID)
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("write run lock %s: %w", path, err)
	}
	return &RunLock{f: tmp, path: path}, nil
}

// Release removes the lock file, then lets go of the lock.
func (l *RunLock) Release() {
	os.Remove(l.path)
	l.f.Close()
}

// Running reads every run lock under root and says which are
// held (alive) and which are not (left over by a mini that died).
func Running(root string) (alive, dead []RunRecord, err error) {
	entries, err := os.ReadDir(store.RunDir(root))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".lock") {
			continue
		}
		rec, held, err := probeRunLock(filepath.Join(store.RunDir(root), e.Name()))
		if errors.Is(err, os.ErrNotExist) {
			continue // gone meanwhile
		}
		if err != nil && !held {
			rec = recordFromJob(root, rec) // unreadable: the sweep needs its cgroup
		}
		if held {
			alive = append(alive, rec)
		} else {
			dead = append(dead, rec)
		}
	}
	return alive, dead, nil
}

// Probe says whether container id's run lock is held, and what it records.
func Probe(root, id string) (rec RunRecord, held bool, err error) {
	return probeRunLock(store.RunLock(root, id))
}

// probeRunLock tries a lock file's lock without waiting, then reads what
// it records. The lock, not the record, says whether a supervisor lives:
// a record that cannot be read (a truncated file) is an error naming it,
// with held still true or false, and the ID taken from the file's name.
func probeRunLock(path string) (rec RunRecord, held bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return rec, false, err
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		if !errors.Is(err, unix.EWOULDBLOCK) {
			return rec, false, fmt.Errorf("lock %s: %w", path, err)
		}
		held = true
	}
	err = json.NewDecoder(f).Decode(&rec)
	if err == nil && rec.ID == "" {
		err = errors.New("no container ID in it")
	}
	if err != nil {
		rec = RunRecord{ID: strings.TrimSuffix(filepath.Base(path), ".lock")}
		return rec, held, fmt.Errorf("the run lock %s is unreadable (%v): stop or remove the container to replace it", path, err)
	}
	return rec, held, nil
}

// recordFromJob stands in for a dead container's unreadable run lock:
// its container record says where its cgroup was.
func recordFromJob(root string, rec RunRecord) RunRecord {
	if job, err := ReadJob(store.Container(root, rec.ID)); err == nil && job.Cgroup != nil {
		rec.CgroupParent = job.Cgroup.Parent
	}
	return rec
}
