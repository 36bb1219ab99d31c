// Which containers are alive, known without a daemon.
//
// While a container runs, the mini that started it holds an exclusive
// flock(2) on $root/run/ID.lock. The kernel drops the lock when that mini
// exits, however it exits, SIGKILL included. So any later mini can tell a
// live container from the leftovers of a dead one: if it can take the lock,
// nobody is holding it, and what the file describes (the container's cgroup)
// is left over and can be removed (sweep.go). The file holds what cleanup
// needs to know.

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// runRecord is what a run lock file says about its container.
type runRecord struct {
	ID           string `json:"id"`
	CgroupParent string `json:"cgroup_parent"`
}

// runLock is a held lock on a running container.
type runLock struct {
	f    *os.File
	path string
}

func runDir(root string) string { return filepath.Join(root, "run") }

// acquireRunLock creates and locks the container's run lock and records
// rec in it. The file is written before it is locked by name, so a reader
// never sees it half written: it is made under a temporary name and renamed.
func acquireRunLock(root string, rec runRecord) (*runLock, error) {
	dir := runDir(root)
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
	path := filepath.Join(dir, rec.ID+".lock")
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("write run lock %s: %w", path, err)
	}
	return &runLock{f: tmp, path: path}, nil
}

// release removes the lock file, then lets go of the lock.
func (l *runLock) release() {
	os.Remove(l.path)
	l.f.Close()
}

// runningContainers reads every run lock under root and says which are
// held (alive) and which are not (left over by a mini that died).
func runningContainers(root string) (alive, dead []runRecord, err error) {
	entries, err := os.ReadDir(runDir(root))
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
		rec, held, err := probeRunLock(filepath.Join(runDir(root), e.Name()))
		if err != nil {
			continue // gone meanwhile, or unreadable: not ours to judge
		}
		if held {
			alive = append(alive, rec)
		} else {
			dead = append(dead, rec)
		}
	}
	return alive, dead, nil
}

// probeRunLock reads a lock file and tries its lock without waiting.
func probeRunLock(path string) (rec runRecord, held bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return rec, false, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&rec); err != nil {
		return rec, false, fmt.Errorf("read %s: %w", path, err)
	}
	err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return rec, true, nil
	}
	return rec, false, err
}
