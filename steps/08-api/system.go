// The system endpoints: /_ping (is a daemon there, which API version),
// /version, /info, and /events, a stream that does not end.

package api

import (
	"encoding/json"
	"math"
	"net/http"
	goruntime "runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/registry"
	"golang.org/x/sys/unix"

	images "mini/steps/04-images"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

func (s *Server) routeSystem() {
	s.mux.HandleFunc("GET /_ping", s.ping)
	s.mux.HandleFunc("HEAD /_ping", s.ping)
	s.mux.HandleFunc("GET /version", s.versionHandler)
	s.mux.HandleFunc("GET /info", handle(s.info))
	s.mux.HandleFunc("POST /auth", handle(s.auth))
	s.mux.HandleFunc("GET /events", handle(s.events))
}

// ping is what a client asks first: the API version is in the headers.
func (s *Server) ping(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Docker-Experimental", "false")
	w.Header().Set("Ostype", "linux")
	w.Header().Set("Cache-Control", "no-cache, no-store, must-revalidate")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Length", "0")
		return
	}
	w.Write([]byte("OK"))
}

func (s *Server) versionHandler(w http.ResponseWriter, _ *http.Request) {
	var uts unix.Utsname
	unix.Uname(&uts)
	kernel := unix.ByteSliceToString(uts.Release[:])
	v := types.Version{Version: s.version, APIVersion: APIVersion, MinAPIVersion: MinAPIVersion,
		GoVersion: goruntime.Version(), Os: goruntime.GOOS, Arch: goruntime.GOARCH, KernelVersion: kernel,
		Components: []types.ComponentVersion{{Name: "Engine", Version: s.version, Details: map[string]string{
			"ApiVersion": APIVersion, "MinAPIVersion": MinAPIVersion, "GoVersion": goruntime.Version(),
			"Os": goruntime.GOOS, "Arch": goruntime.GOARCH, "KernelVersion": kernel}}}}
	v.Platform.Name = "mini"
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) info(w http.ResponseWriter, _ *http.Request) error {
	in, err := s.rt.Info(s.version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in.Info)
	return nil
}

// events streams the runtime's events as the Engine API's messages, one
// JSON object each, flushed as it comes. Without since or until it
// follows only what happens from now on; until ends it.
func (s *Server) events(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	since, err := unixTime(q.Get("since"))
	if err != nil {
		return err
	}
	until, err := unixTime(q.Get("until"))
	if err != nil {
		return err
	}
	if since.IsZero() && until.IsZero() {
		since = time.Now()
	}
	kv, err := filterList(q.Get("filters"))
	if err != nil {
		return err
	}
	match, err := runtime.EventFilter(kv)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	flush(w)
	enc := json.NewEncoder(w)
	o := runtime.EventsOptions{Since: since, Until: until, Match: match, Stop: r.Context().Done()}
	s.rt.Events(o, func(e *supervisor.Event) error {
		if err := enc.Encode(runtime.Message(e)); err != nil {
			return err // the client went away
		}
		flush(w)
		return nil
	})
	return nil
}

// flush sends what w holds now: a stream's part must not wait.
func flush(w http.ResponseWriter) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// unixTime reads the API's times: seconds since 1970, with a fraction
// ("1700000000.123456789"), or an RFC 3339 time; "" is none.
func unixTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, badRequest("invalid time %q: want seconds since 1970, such as 1700000000.5", s)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), nil
}

// filterList reads the API's filters, {"label":{"a=b":true}}, as the
// runtime's KEY=VALUE list.
func filterList(raw string) ([]string, error) {
	args, err := filters.FromJSON(raw)
	if err != nil {
		return nil, badRequest("invalid filters %q: %v", raw, err)
	}
	var out []string
	for _, k := range args.Keys() {
		values := args.Get(k)
		sort.Strings(values)
		for _, v := range values {
			out = append(out, k+"="+v)
		}
	}
	return out, nil
}

// boolParam reads a query's boolean as Docker does: 1, true, True.
func boolParam(r *http.Request, key string) bool {
	v := strings.ToLower(r.URL.Query().Get(key))
	return v == "1" || v == "true"
}

// auth is docker login: the daemon asks the registry whether the
// credentials are good; the client keeps them, and sends them with each
// pull and push (X-Registry-Auth).
func (s *Server) auth(w http.ResponseWriter, r *http.Request) error {
	var a registry.AuthConfig
	if err := decodeJSON(w, r, &a, "auth request", false); err != nil {
		return err
	}
	if _, err := images.CheckLogin(r.Context(), a.ServerAddress, a.Username, a.Password); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, registry.AuthenticateOKBody{Status: "Login Succeeded"})
	return nil
}
