// Package api is step 08: Docker's client/server architecture. A daemon
// owns the containers and serves Docker's Engine API, a REST API of JSON
// over HTTP, on a unix socket (/var/run/docker.sock for Docker,
// /run/mini.sock for mini); the docker command is only a client of it.
// So anything that speaks the API (the docker CLI, compose, the SDKs,
// curl) drives the same engine:
//
//	curl --unix-socket /run/mini.sock http://localhost/v1.41/containers/json
//
// mini is daemonless by default: each mini command does its work itself,
// under the locks of step 07, with a supervisor per container keeping it
// alive. `mini daemon` adds what Podman's `podman system service` adds
// to Podman: the same engine (step 07's Runtime, over the same state
// root), behind Docker's API. Containers made through either are seen by
// both.
//
// # Requests
//
// Every path may start with the API version the client speaks, /v1.41/...
// (or none, for the newest). A client first asks /_ping, reads the
// API-Version header, and from then on uses the lower of its version and
// the server's: that is version negotiation. mini serves API 1.41, Docker
// 20.10's, whose shapes its inspect already prints.
//
// Bodies are JSON in the Engine API's own types (docker/docker's
// api/types). Errors are JSON too, {"message": "..."}, with the status
// saying what kind: 404 for an object that does not exist (the docker CLI
// pulls an image on a 404 from create), 409 for a conflict (a name in
// use, a running container removed without force), 400 for a bad
// parameter, 304 for a stop of a stopped container, 500 for the rest.
//
// # Streams
//
// Some answers do not end: events and logs -f go on as things happen, one
// JSON object or one log frame at a time, each flushed at once. A
// container's output without a terminal has two streams, stdout and
// stderr, in one connection: each chunk is a frame, an 8-byte header
// (the stream: 1 stdout, 2 stderr; three zero bytes; the length, 4 bytes
// big-endian) and the bytes (logs.go). With a terminal there is one
// stream, sent raw.
//
// # Hijacking
//
// An HTTP exchange is a request and an answer; a terminal session goes
// both ways for as long as the container runs. So attach answers "101
// UPGRADED" and the server hijacks the connection: from then on it is a
// plain stream, the container's output one way, the client's input the
// other (attach.go). docker exec is the same on a process of its own:
// made by one request, started on a hijacked connection by another, and
// its exit status asked for by a third once the stream has ended
// (exec.go).
//
// # Progress
//
// A pull or a push takes a while, and the client draws its progress: the
// answer is a stream of JSON objects, a status line or a layer's bytes so
// far, one per line (progress.go). The status of the answer goes with the
// first of them, so a pull that fails at once is still answered with an
// error's status (a 404 for an image the registry does not have).
//
// The files: server.go (the listener, routing, versions), errors.go,
// system.go (ping, version, info, events), containers.go and
// container_create.go (the containers' life cycle), logs.go, attach.go,
// exec.go and exec_streams.go, container_files.go (changes, cp's
// archives, export, commit), container_stats.go (top, stats, prune),
// images.go and progress.go, build.go (a tar context in, the builder's
// stream out), and objects.go (networks, volumes).
package api
