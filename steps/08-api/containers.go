// The containers' endpoints: list, inspect, and the life cycle (start,
// stop, kill, restart, pause, unpause, rename, wait, remove), each a call
// of step 07's Runtime, which does for the daemon what it does for the
// mini command.

package api

import (
	"cmp"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"

	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

func (s *Server) routeContainers() {
	s.mux.HandleFunc("GET /containers/json", handle(s.listContainers))
	s.mux.HandleFunc("POST /containers/create", handle(s.createContainer)) // container_create.go
	s.mux.HandleFunc("GET /containers/{id}/json", handle(s.inspectContainer))
	s.mux.HandleFunc("GET /containers/{id}/logs", handle(s.logs))      // logs.go
	s.mux.HandleFunc("POST /containers/{id}/attach", handle(s.attach)) // attach.go
	s.mux.HandleFunc("POST /containers/{id}/start", handle(s.startContainer))
	s.mux.HandleFunc("POST /containers/{id}/stop", handle(s.stopContainer))
	s.mux.HandleFunc("POST /containers/{id}/restart", handle(s.restartContainer))
	s.mux.HandleFunc("POST /containers/{id}/kill", handle(s.killContainer))
	s.mux.HandleFunc("POST /containers/{id}/pause", s.simple(s.rtPause))
	s.mux.HandleFunc("POST /containers/{id}/unpause", s.simple(s.rtUnpause))
	s.mux.HandleFunc("POST /containers/{id}/rename", handle(s.renameContainer))
	s.mux.HandleFunc("POST /containers/{id}/wait", handle(s.waitContainer))
	s.mux.HandleFunc("POST /containers/{id}/resize", handle(s.resizeContainer))
	s.mux.HandleFunc("DELETE /containers/{id}", handle(s.removeContainer))
}

// simple is an endpoint that calls fn on the container and answers 204.
func (s *Server) simple(fn func(id string) error) http.HandlerFunc {
	return handle(func(w http.ResponseWriter, r *http.Request) error {
		if err := fn(r.PathValue("id")); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

func (s *Server) rtPause(id string) error   { return s.rt.Pause(id) }
func (s *Server) rtUnpause(id string) error { return s.rt.Unpause(id) }

// listContainers is docker ps: the running ones, or all=1 every one,
// filtered as ps filters, newest first.
func (s *Server) listContainers(w http.ResponseWriter, r *http.Request) error {
	s.rt.Sweep()
	kv, err := filterList(r.URL.Query().Get("filters"))
	if err != nil {
		return err
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	listed, err := s.rt.ListContainers(runtime.ListOptions{All: boolParam(r, "all"), Last: limit, Filters: kv})
	if err != nil {
		return err
	}
	out := []container.Summary{}
	for _, l := range listed {
		out = append(out, summary(l.Container, l.State))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// summary is a container as the list shows it.
func summary(c *runtime.Container, st *supervisor.State) container.Summary {
	in := c.Inspect()
	sum := container.Summary{ID: c.ID, Names: []string{"/" + c.Name}, Image: cmp.Or(c.Image, c.Lower[0]),
		ImageID: c.ImageID, Command: strings.Join(append([]string{c.Path()}, c.Args()...), " "),
		Created: c.Created.Unix(), Ports: ports(in), State: container.ContainerState(st.Status),
		Status: runtime.StatusText(st), Mounts: in.Mounts}
	if in.Config != nil {
		sum.Labels = in.Config.Labels
	}
	sum.HostConfig.NetworkMode = string(in.HostConfig.NetworkMode)
	sum.NetworkSettings = &container.NetworkSettingsSummary{Networks: map[string]*network.EndpointSettings{}}
	if in.NetworkSettings != nil {
		sum.NetworkSettings.Networks = in.NetworkSettings.Networks
	}
	return sum
}

// ports are the published ports (host address and port) and the ports
// exposed but not published, as the list's Ports.
func ports(in *runtime.ContainerInspect) []container.Port {
	out := []container.Port{}
	seen := map[string]bool{}
	if in.NetworkSettings != nil {
		for p, bindings := range in.NetworkSettings.Ports {
			for _, b := range bindings {
				public, _ := strconv.Atoi(b.HostPort)
				out = append(out, container.Port{IP: b.HostIP, PrivatePort: uint16(p.Int()), PublicPort: uint16(public), Type: p.Proto()})
				seen[string(p)] = true
			}
		}
	}
	if in.Config != nil {
		for p := range in.Config.ExposedPorts {
			if !seen[string(p)] {
				out = append(out, container.Port{PrivatePort: uint16(p.Int()), Type: p.Proto()})
			}
		}
	}
	return out
}

func (s *Server) inspectContainer(w http.ResponseWriter, r *http.Request) error {
	s.rt.Sweep()
	in, err := s.rt.Inspect(r.PathValue("id"))
	if err != nil {
		return notFoundOr(err, "No such container: %s", r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

// container finds a container by name, ID or ID prefix, a missing one
// in Docker's words.
func (s *Server) container(ref string) (*runtime.Container, error) {
	c, err := s.rt.Find(ref)
	if err != nil {
		return nil, notFoundOr(err, "No such container: %s", ref)
	}
	return c, nil
}

// notFoundOr words a missing object as Docker's daemon does (the docker
// CLI and SDKs read "No such container"); other errors pass.
func notFoundOr(err error, format, ref string) error {
	if statusOf(err) == http.StatusNotFound {
		return notFoundError(format, ref)
	}
	return err
}

func (s *Server) startContainer(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	c, err := s.container(id)
	if err != nil {
		return err
	}
	if c.Alive() {
		w.WriteHeader(http.StatusNotModified) // already started
		return nil
	}
	if p := s.attached.take(c.ID); p != nil { // docker run: a client waits on it
		err = s.startAttached(p, c.ID)
	} else {
		err = s.rt.Start(id)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// stopTimeout reads ?t=SECONDS, Docker's 10 by default.
func stopTimeout(r *http.Request) (time.Duration, error) {
	t := r.URL.Query().Get("t")
	if t == "" {
		return 10 * time.Second, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil {
		return 0, badRequest("invalid t %q: want seconds", t)
	}
	return time.Duration(n) * time.Second, nil
}

func (s *Server) stopContainer(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	timeout, err := stopTimeout(r)
	if err != nil {
		return err
	}
	c, err := s.container(id)
	if err != nil {
		return err
	}
	if !c.Alive() {
		w.WriteHeader(http.StatusNotModified) // already stopped
		return nil
	}
	if err := s.rt.Stop(id, timeout); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) restartContainer(w http.ResponseWriter, r *http.Request) error {
	timeout, err := stopTimeout(r)
	if err != nil {
		return err
	}
	if err := s.rt.Restart(r.PathValue("id"), timeout); err != nil {
		return notFoundOr(err, "No such container: %s", r.PathValue("id"))
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) killContainer(w http.ResponseWriter, r *http.Request) error {
	sig := syscall.SIGKILL
	if name := r.URL.Query().Get("signal"); name != "" {
		n, err := runtime.ParseSignal(name)
		if err != nil {
			return badRequest("%v", err)
		}
		sig = n
	}
	if err := s.rt.Kill(r.PathValue("id"), sig); err != nil {
		return notFoundOr(err, "No such container: %s", r.PathValue("id"))
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) renameContainer(w http.ResponseWriter, r *http.Request) error {
	if err := s.rt.Rename(r.PathValue("id"), r.URL.Query().Get("name")); err != nil {
		return notFoundOr(err, "No such container: %s", r.PathValue("id"))
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// waitContainer answers when the container has stopped, with its exit
// status. The status line goes out at once, as Docker's does, so that a
// client knows the wait has begun before it starts the container. The
// condition says which stop: not-running (the default: now, if it is not
// running), next-exit (the end of its next run: docker run waits so
// before the start), removed (gone, as docker run --rm waits).
func (s *Server) waitContainer(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	c, err := s.container(id)
	if err != nil {
		return err
	}
	cond := r.URL.Query().Get("condition")
	if cond != "" && cond != "not-running" && cond != "next-exit" && cond != "removed" {
		return badRequest("invalid condition %q: want not-running, next-exit or removed", cond)
	}
	// The next exit is listened for before the answer goes out: the
	// client starts the container once it has the answer.
	var told chan int
	attachedRun := false
	if cond == "next-exit" || cond == "removed" {
		told = s.exits.watch(c.ID)
		defer s.exits.stop(c.ID, told)
		attachedRun = s.attached.waiting(c.ID)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	flush(w)
	var code int
	if told != nil {
		code = s.nextExit(r, c, told, attachedRun)
	} else {
		code = c.Wait()
	}
	if cond == "removed" {
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if _, err := s.rt.Find(c.ID); err != nil {
				break
			}
		}
	}
	return jsonBody(w, container.WaitResponse{StatusCode: int64(code)})
}

// nextExit is the exit status of the container's next run. An attached
// start tells it on told (attach.go), even of a run too short to be seen,
// or of a container removed as soon as it exits (--rm): a client attached
// and waiting for the start (attachedRun) means that one is coming, and
// only it is listened to. A detached run is watched: running, then waited
// for, or found to have run and exited between two looks.
func (s *Server) nextExit(r *http.Request, c *runtime.Container, told chan int, attachedRun bool) int {
	if attachedRun {
		select {
		case code := <-told:
			return code
		case <-r.Context().Done():
			return 0
		}
	}
	finished := c.State().FinishedAt
	for {
		select {
		case code := <-told:
			return code
		case <-r.Context().Done():
			return 0
		case <-time.After(20 * time.Millisecond):
		}
		if c.Alive() {
			return c.Wait()
		}
		if st := c.State(); !st.FinishedAt.Equal(finished) {
			return st.ExitCode
		}
	}
}

func (s *Server) removeContainer(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := s.rt.Remove(id, boolParam(r, "force"), boolParam(r, "v")); err != nil {
		return notFoundOr(err, "No such container: %s", id)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// resizeContainer sets the size of the container's terminal: its
// supervisor holds the terminal, and is told in a frame, as mini attach
// tells it.
func (s *Server) resizeContainer(w http.ResponseWriter, r *http.Request) error {
	rows, cols, err := sizeParams(r)
	if err != nil {
		return err
	}
	_, sup, err := s.rt.Attach(r.PathValue("id"))
	if err != nil {
		return notFoundOr(err, "No such container: %s", r.PathValue("id"))
	}
	defer sup.Close()
	if err := supervisor.WriteFrame(sup, supervisor.FrameResize, supervisor.ResizePayload(rows, cols)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// jsonBody writes v after the status line has gone: an error now can only
// be logged, not answered.
func jsonBody(w http.ResponseWriter, v any) error {
	if err := jsonEncode(w, v); err != nil {
		fmt.Fprintln(os.Stderr, "mini daemon: write an answer:", err)
	}
	return nil
}
