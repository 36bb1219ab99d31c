// The server: a listener (a unix socket, or TCP on loopback), a router
// from Docker's paths to handlers, and the API version in each path.

package api

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/user"
	"strconv"
	"strings"

	cgroups "mini/steps/02-cgroups"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

// APIVersion is the Engine API version mini serves: Docker 20.10's.
// MinAPIVersion is the oldest a client may speak (Docker 20.10's too).
const (
	APIVersion    = "1.41"
	MinAPIVersion = "1.12"
)

// Server serves the Engine API over the runtime rt.
type Server struct {
	rt      *runtime.Runtime
	version string // mini's release
	mux     *http.ServeMux
	// attached are clients waiting for a container's start (attach.go).
	attached attachments
	exits    exitWatchers // waits for a next exit, told by attach.go
	execs    execTable    // the execs made, by ID (exec.go)
	// What a container gets when the request does not say: the network
	// (docker run's default, "bridge") and the parent cgroup.
	DefaultNetwork, CgroupParent string
}

// NewServer is the API of rt; version is mini's release, for /version.
func NewServer(rt *runtime.Runtime, version string) *Server {
	s := &Server{rt: rt, version: version, mux: http.NewServeMux(),
		DefaultNetwork: supervisor.NetBridge, CgroupParent: cgroups.DefaultParent}
	s.routeSystem()         // system.go
	s.routeContainers()     // containers.go
	s.routeImages()         // images.go
	s.routeBuild()          // build.go
	s.routeObjects()        // objects.go
	s.routeExec()           // exec.go
	s.routeContainerFiles() // container_files.go
	s.routeContainerStats() // container_stats.go
	return s
}

// ServeHTTP takes the version off the path, refuses one older than mini
// serves, and routes the rest.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if version, rest, ok := splitVersion(r.URL.Path); ok {
		if older(version, MinAPIVersion) {
			writeError(w, badRequest("client version %s is too old. Minimum supported API version is %s, please upgrade your client to a newer version", version, MinAPIVersion))
			return
		}
		r.URL.Path = rest
	}
	w.Header().Set("Api-Version", APIVersion)
	w.Header().Set("Server", "mini/"+s.version+" (linux)")
	if _, pattern := s.mux.Handler(r); pattern == "" { // no route: said in JSON too
		writeError(w, notFoundError("page not found"))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// splitVersion reads the version a path starts with:
// /v1.41/containers/json is 1.41 and /containers/json.
//
//lab:08 take the version off the path: /v1.41/_ping is version 1.41 and /_ping; a path without one is not versioned
func splitVersion(path string) (version, rest string, ok bool) {
	after, found := strings.CutPrefix(path, "/v")
	if !found {
		return "", "", false
	}
	version, rest, found = strings.Cut(after, "/")
	major, minor, dotted := strings.Cut(version, ".")
	if !found || !dotted || !digits(major) || !digits(minor) {
		return "", "", false
	}
	return version, "/" + rest, true
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// older says whether version a is older than b ("1.9" < "1.41").
func older(a, b string) bool {
	am, an, _ := strings.Cut(a, ".")
	bm, bn, _ := strings.Cut(b, ".")
	x, _ := strconv.Atoi(am)
	y, _ := strconv.Atoi(bm)
	if x != y {
		return x < y
	}
	n1, _ := strconv.Atoi(an)
	n2, _ := strconv.Atoi(bn)
	return n1 < n2
}

// Listen opens the daemon's socket for host, docker -H's form:
// unix:///run/mini.sock, or tcp://127.0.0.1:2375. A unix socket is the
// root's and the group mini's (if there is one), mode 0660: who may use
// it may run containers as root, as with Docker's docker group. TCP
// speaks TLS when tlsConfig is given (tls.go); without client
// certificates it has no authentication, so only a loopback address is
// accepted then.
func Listen(host string, tlsConfig *tls.Config) (net.Listener, error) {
	proto, addr, ok := strings.Cut(host, "://")
	if !ok {
		return nil, fmt.Errorf("invalid -H %q: want unix:///PATH or tcp://127.0.0.1:PORT", host)
	}
	switch proto {
	case "unix":
		return listenUnix(addr)
	case "tcp":
		h, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("invalid -H %q: want tcp://ADDRESS:PORT", host)
		}
		if ip := net.ParseIP(h); !verifiesClients(tlsConfig) && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("invalid -H %q: without --tlsverify, mini listens on TCP only on a loopback address, such as tcp://127.0.0.1:2375 (the API has no other authentication)", host)
		}
		l, err := net.Listen("tcp", addr)
		if err != nil || tlsConfig == nil {
			return l, err
		}
		return tls.NewListener(l, tlsConfig), nil
	}
	return nil, fmt.Errorf("invalid -H %q: the protocol is unix or tcp", host)
}

// listenUnix makes the socket at path, replacing a stale one (a socket
// no daemon answers on), never a live daemon's.
func listenUnix(path string) (net.Listener, error) {
	if c, err := net.Dial("unix", path); err == nil {
		c.Close()
		return nil, fmt.Errorf("a daemon already listens on %s", path)
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode().Type() == os.ModeSocket {
		os.Remove(path)
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	gid := 0
	if g, err := user.LookupGroup("mini"); err == nil {
		gid, _ = strconv.Atoi(g.Gid)
	}
	if err := os.Chown(path, 0, gid); err == nil {
		err = os.Chmod(path, 0o660)
	}
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("set the owner and mode of %s: %w", path, err)
	}
	return l, nil
}
