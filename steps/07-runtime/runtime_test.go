package runtime

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"mini/steps/07-runtime/store"
	"mini/steps/07-runtime/supervisor"
)

// newTestRuntime is a runtime over a state root of its own, with a root
// filesystem directory to make containers from (never started here).
func newTestRuntime(t *testing.T) (*Runtime, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("a container's upper directory takes its root's owner: run as root")
	}
	dir := t.TempDir()
	rootfs := filepath.Join(dir, "rootfs")
	if err := os.MkdirAll(filepath.Join(rootfs, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	return New(filepath.Join(dir, "state"), "", nil), rootfs
}

func create(t *testing.T, rt *Runtime, rootfs, name string) *Container {
	t.Helper()
	c, err := rt.CreateFrom(&CreateOptions{Name: name, Rootfs: rootfs, Cmd: []string{"true"},
		Network: NetworkOptions{Mode: supervisor.NetNone}})
	if err != nil {
		t.Fatalf("create %q: %v", name, err)
	}
	return c
}

// A container is one record, found by name, ID or unique prefix, and
// created in the state "created".
func TestCreateAndFind(t *testing.T) {
	rt, rootfs := newTestRuntime(t)
	c := create(t, rt, rootfs, "one")
	if len(c.ID) != 64 || c.Name != "one" || c.Path() != "true" || c.Spec.Hostname != c.ID[:12] {
		t.Fatalf("created %+v", c.Record)
	}
	for _, ref := range []string{"one", c.ID, c.ID[:5]} {
		if got, err := rt.Find(ref); err != nil || got.ID != c.ID {
			t.Errorf("Find(%q) = %v, %v", ref, got, err)
		}
	}
	if st := c.State(); st.Status != supervisor.StatusCreated || c.Alive() {
		t.Errorf("state %q, alive %v; want created, not alive", st.Status, c.Alive())
	}
	entries, _ := os.ReadDir(string(c.Dir))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "container.json init merged upper work" {
		t.Errorf("the container's directory holds %q", got)
	}
}

// Each failure says what kind it is.
func TestTypedErrors(t *testing.T) {
	rt, rootfs := newTestRuntime(t)
	a := create(t, rt, rootfs, "a")
	create(t, rt, rootfs, "b")
	cases := []struct {
		what string
		err  error
		kind error
	}{
		{"find a missing container", func() error { _, err := rt.Find("nosuch"); return err }(), ErrNotFound},
		{"find the empty prefix", func() error { _, err := rt.Find(""); return err }(), ErrNotFound},
		{"create a taken name", func() error {
			_, err := rt.CreateFrom(&CreateOptions{Name: "a", Rootfs: rootfs, Cmd: []string{"true"}})
			return err
		}(), ErrConflict},
		{"create with a bad name", func() error {
			_, err := rt.CreateFrom(&CreateOptions{Name: "-x", Rootfs: rootfs, Cmd: []string{"true"}})
			return err
		}(), ErrInvalid},
		{"create without a command", func() error {
			_, err := rt.CreateFrom(&CreateOptions{Rootfs: rootfs})
			return err
		}(), ErrInvalid},
		{"create from a missing directory", func() error {
			_, err := rt.CreateFrom(&CreateOptions{Rootfs: rootfs + "-no", Cmd: []string{"true"}})
			return err
		}(), ErrInvalid},
		{"create --rm with a restart policy", func() error {
			_, err := rt.CreateFrom(&CreateOptions{Rootfs: rootfs, Cmd: []string{"true"}, AutoRemove: true,
				Restart: supervisor.RestartPolicy{Name: "always"}})
			return err
		}(), ErrInvalid},
		{"rename to a taken name", rt.Rename("a", "b"), ErrConflict},
		{"kill a stopped container", rt.Kill("a", syscall.SIGKILL), ErrNotRunning},
		{"pause a stopped container", rt.Pause(a.ID), ErrNotRunning},
		{"exec in a stopped container", func() error { _, err := rt.Exec("a", ExecOptions{Cmd: []string{"true"}}); return err }(), ErrNotRunning},
		{"remove a missing volume", rt.RemoveVolume("nosuch"), ErrNotFound},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.kind) {
			t.Errorf("%s: %v, want a %v", c.what, c.err, c.kind)
		}
	}
	// The same ID prefix for two containers is ambiguous: find one that
	// both IDs share, if their first digits do.
	all, _ := rt.List()
	if len(all) != 2 {
		t.Fatalf("%d containers after the failed creates, want 2: nothing half made", len(all))
	}
	if all[0].ID[0] == all[1].ID[0] {
		if _, err := rt.Find(all[0].ID[:1]); !errors.Is(err, ErrInvalid) {
			t.Errorf("an ambiguous prefix: %v, want a %v", err, ErrInvalid)
		}
	}
}

// A rename is one write of the record, which the supervisor reads its job
// from: both see the new name.
func TestRenameIsOneRecord(t *testing.T) {
	rt, rootfs := newTestRuntime(t)
	c := create(t, rt, rootfs, "old")
	if err := rt.Rename("old", "new"); err != nil {
		t.Fatal(err)
	}
	job, err := supervisor.ReadJob(store.Container(rt.Root, c.ID))
	if err != nil || job.Name != "new" {
		t.Fatalf("the supervisor's job says %v, %v; want the new name", job, err)
	}
	data, err := os.ReadFile(c.Dir.Record())
	if err != nil {
		t.Fatal(err)
	}
	var rec Record
	if err := json.Unmarshal(data, &rec); err != nil || rec.Name != "new" || rec.ID != c.ID {
		t.Fatalf("the record says %q (%v)", rec.Name, err)
	}
	if _, err := rt.Find("old"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the old name still finds %v", err)
	}
}

// Remove takes the container's directory, and with volumes its anonymous
// volumes; a named volume stays.
func TestRemoveWithVolumes(t *testing.T) {
	rt, rootfs := newTestRuntime(t)
	c, err := rt.CreateFrom(&CreateOptions{Name: "v", Rootfs: rootfs, Cmd: []string{"true"},
		Volumes: []string{"/anon", "named:/named"}, Network: NetworkOptions{Mode: supervisor.NetNone}})
	if err != nil {
		t.Fatal(err)
	}
	names, _ := rt.VolumeNames()
	if len(names) != 2 {
		t.Fatalf("volumes %v, want an anonymous one and named", names)
	}
	if err := rt.RemoveVolume("named"); !errors.Is(err, ErrConflict) {
		t.Errorf("removing a volume in use: %v, want a %v", err, ErrConflict)
	}
	if err := rt.Remove("v", false, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(string(c.Dir)); !os.IsNotExist(err) {
		t.Errorf("the container's directory is still there: %v", err)
	}
	if names, _ := rt.VolumeNames(); len(names) != 1 || names[0] != "named" {
		t.Errorf("volumes left %v, want named alone", names)
	}
}

// Without All, only running containers are listed; -n (Last) and filters
// as docker ps has them.
func TestListContainers(t *testing.T) {
	rt, rootfs := newTestRuntime(t)
	create(t, rt, rootfs, "first")
	create(t, rt, rootfs, "second")
	count := func(o ListOptions) int {
		t.Helper()
		l, err := rt.ListContainers(o)
		if err != nil {
			t.Fatal(err)
		}
		return len(l)
	}
	if n := count(ListOptions{Last: -1}); n != 0 {
		t.Errorf("%d listed without All, want 0: none runs", n)
	}
	if n := count(ListOptions{All: true}); n != 2 {
		t.Errorf("%d listed with All, want 2", n)
	}
	if l, _ := rt.ListContainers(ListOptions{Last: 1}); len(l) != 1 || l[0].Name != "second" {
		t.Errorf("the newest one: %v", l)
	}
	if n := count(ListOptions{All: true, Filters: []string{"name=fir", "status=created"}}); n != 1 {
		t.Errorf("%d listed by name and status, want 1", n)
	}
	if _, err := rt.ListContainers(ListOptions{Filters: []string{"colour=red"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an unknown filter: %v, want a %v", err, ErrInvalid)
	}
}

// A run lock whose record is unreadable (a truncated file): the lock
// still says whether a supervisor lives, what needs the record says which
// file is wrong, and once nobody holds it the sweep removes it.
func TestUnreadableRunLock(t *testing.T) {
	rt, rootfs := newTestRuntime(t)
	c := create(t, rt, rootfs, "truncated")
	if err := supervisor.WriteState(c.Dir, &supervisor.State{Status: supervisor.StatusRunning, Pid: 1}); err != nil {
		t.Fatal(err)
	}
	path := store.RunLock(rt.Root, c.ID)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"id":"`), 0o600); err != nil {
		t.Fatal(err)
	}
	holder, err := os.Open(path) // a supervisor, as far as the lock says
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(holder.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if !c.Alive() || c.State().Status != supervisor.StatusRunning {
		t.Errorf("held, unreadable lock: alive %v, status %q; want alive, running", c.Alive(), c.State().Status)
	}
	if _, _, err := rt.Running("truncated"); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Running: %v; want an error naming %s", err, path)
	}
	if err := c.killSupervisor(); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("killSupervisor: %v; want an error naming %s", err, path)
	}
	holder.Close() // the supervisor is gone
	if c.Alive() {
		t.Error("alive after the lock was let go")
	}
	supervisor.Sweep(rt.Root)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the sweep left the dead, unreadable lock: %v", err)
	}
	if st := c.State(); st.Status != supervisor.StatusExited || st.ExitCode != 137 {
		t.Errorf("after the sweep: %q %d; want exited 137", st.Status, st.ExitCode)
	}
}

// A state file that cannot be read makes the container "dead", with an
// error naming the file, unless its run lock says it runs; either way it
// can be removed.
func TestUnreadableStateFile(t *testing.T) {
	rt, rootfs := newTestRuntime(t)
	c := create(t, rt, rootfs, "garbled")
	if err := os.WriteFile(c.Dir.State(), []byte(`{"Status":"runn`), 0o600); err != nil {
		t.Fatal(err)
	}
	st := c.State()
	if st.Status != supervisor.StatusDead || !strings.Contains(st.Error, c.Dir.State()) {
		t.Errorf("state %q, error %q; want dead, naming %s", st.Status, st.Error, c.Dir.State())
	}
	if ci := c.Inspect(); !ci.State.Dead || ci.State.Running {
		t.Errorf("inspect: dead %v, running %v", ci.State.Dead, ci.State.Running)
	}
	path := store.RunLock(rt.Root, c.ID)
	os.MkdirAll(filepath.Dir(path), 0o700)
	data, _ := json.Marshal(supervisor.RunRecord{ID: c.ID})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	holder, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(holder.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if st := c.State(); st.Status != supervisor.StatusRunning {
		t.Errorf("with its run lock held: %q; want running", st.Status)
	}
	holder.Close()
	os.Remove(path)
	if err := rt.Remove("garbled", false, false); err != nil {
		t.Errorf("remove a dead container: %v", err)
	}
}

// A container whose record cannot be read does not vanish: found by its
// ID, it is an error naming the file, and rm -f removes it.
func TestUnreadableRecord(t *testing.T) {
	rt, rootfs := newTestRuntime(t)
	c := create(t, rt, rootfs, "mangled")
	if err := os.WriteFile(c.Dir.Record(), []byte(`{"id":`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Find(c.ID[:8]); err == nil || !strings.Contains(err.Error(), c.Dir.Record()) {
		t.Errorf("Find by ID prefix: %v; want an error naming %s", err, c.Dir.Record())
	}
	if u := rt.Unreadable(); len(u) != 1 || u[0].ID != c.ID {
		t.Errorf("Unreadable() = %v; want %s", u, c.ID)
	}
	if err := rt.Remove(c.ID[:8], false, false); err == nil {
		t.Error("rm without -f removed a container whose record is unreadable")
	}
	if err := rt.Remove(c.ID[:8], true, false); err != nil {
		t.Fatalf("rm -f: %v", err)
	}
	if _, err := os.Stat(string(c.Dir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("rm -f left %s: %v", c.Dir, err)
	}
	if u := rt.Unreadable(); len(u) != 0 {
		t.Errorf("after rm -f: %v", u)
	}
}

// The stopped RUN container of a build that is gone is removed; one of a
// build still running is kept.
func TestRemoveOrphanedBuilds(t *testing.T) {
	rt, rootfs := newTestRuntime(t)
	orphan := create(t, rt, rootfs, "orphan")
	orphan.Builder = &supervisor.Process{PID: os.Getpid(), Start: 1} // another process, long gone
	kept := create(t, rt, rootfs, "kept")
	kept.Builder = supervisor.Self()
	for _, c := range []*Container{orphan, kept} {
		if err := c.write(); err != nil {
			t.Fatal(err)
		}
	}
	rt.RemoveOrphanedBuilds()
	if _, err := rt.Find("orphan"); err == nil {
		t.Error("the orphaned build container is still there")
	}
	if _, err := rt.Find("kept"); err != nil {
		t.Errorf("the running build's container went: %v", err)
	}
}
