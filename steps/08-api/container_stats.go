// A running container seen from the host, over the API: its processes
// (top), what its cgroup counts (stats, once or every second), and the
// removal of the stopped ones (prune).

package api

import (
	"net/http"
	"os"
	goruntime "runtime"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"

	runtime "mini/steps/07-runtime"
)

func (s *Server) routeContainerStats() {
	s.mux.HandleFunc("GET /containers/{id}/top", handle(s.top))
	s.mux.HandleFunc("GET /containers/{id}/stats", handle(s.stats))
	s.mux.HandleFunc("POST /containers/prune", handle(s.pruneContainers))
}

// top is docker top: ps_args are the host's ps options, ps -ef's columns
// without them.
func (s *Server) top(w http.ResponseWriter, r *http.Request) error {
	var args []string
	if a := r.URL.Query().Get("ps_args"); a != "" && a != "-ef" {
		args = strings.Fields(a)
	}
	top, err := s.rt.TopTable(r.PathValue("id"), args)
	if err != nil {
		return notFoundOr(err, "No such container: %s", r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, top)
	return nil
}

// stats is docker stats: a reading a second while the client listens
// (stream), or one. Each reading carries the one before it (precpu), from
// which the client works out the CPU share; a single reading is taken a
// second after a first, as dockerd's, unless one-shot says not to wait.
func (s *Server) stats(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	c, err := s.container(id)
	if err != nil {
		return err
	}
	stream := r.URL.Query().Get("stream") == "" || boolParam(r, "stream")
	var prev *container.StatsResponse
	if !stream && !boolParam(r, "one-shot") {
		if prev, err = s.reading(c); err != nil {
			return err
		}
		time.Sleep(time.Second)
	}
	for first := true; ; first = false {
		cur, err := s.reading(c)
		if err != nil && first {
			return err
		}
		if err != nil {
			return nil // stopped meanwhile: the stream ends
		}
		if prev != nil {
			cur.PreRead, cur.PreCPUStats = prev.Read, prev.CPUStats
		}
		if first {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
		}
		if jsonEncode(w, cur) != nil || !stream {
			return nil
		}
		flush(w)
		prev = cur
		select {
		case <-r.Context().Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

// reading is one reading of the container's cgroup, in the API's shape.
// A container not running reads as zeros, as in dockerd.
func (s *Server) reading(c *runtime.Container) (*container.StatsResponse, error) {
	st := &container.StatsResponse{Name: "/" + c.Name, ID: c.ID, Read: time.Now()}
	if !c.Alive() {
		return st, nil
	}
	samples, err := s.rt.Stats([]string{c.ID})
	if err != nil || len(samples) == 0 {
		return st, err
	}
	sample := samples[0].Stats
	st.Read = samples[0].At
	st.CPUStats = container.CPUStats{CPUUsage: container.CPUUsage{TotalUsage: uint64(sample.CPUUsage.Nanoseconds())},
		SystemUsage: systemCPU(), OnlineCPUs: uint32(goruntime.NumCPU())}
	st.MemoryStats = container.MemoryStats{Usage: sample.MemoryUsage, Limit: sample.MemoryLimit}
	st.PidsStats = container.PidsStats{Current: sample.Pids}
	return st, nil
}

// systemCPU is the CPU time the whole machine has spent, in nanoseconds:
// the first seven fields of /proc/stat's cpu line (user, nice, system,
// idle, iowait, irq, softirq, as dockerd counts), in clock ticks of
// 1/100 s. The client divides the container's use in a second by the
// machine's.
func systemCPU() uint64 {
	data, _ := os.ReadFile("/proc/stat")
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	if len(fields) < 8 {
		return 0
	}
	var ticks uint64
	for _, f := range fields[1:8] {
		n, _ := strconv.ParseUint(f, 10, 64)
		ticks += n
	}
	return ticks * uint64(time.Second/100)
}

func (s *Server) pruneContainers(w http.ResponseWriter, _ *http.Request) error {
	removed, err := s.rt.Prune()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"ContainersDeleted": orEmpty(removed), "SpaceReclaimed": 0})
	return nil
}
