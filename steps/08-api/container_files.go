// A container's files over the API: what it changed, its whole tree
// (export), a path in it as a tar stream both ways (docker cp), and an
// image of its changes (commit). Every path is resolved inside the
// container by step 07, as for the mini command.

package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path"
	"strings"

	"github.com/docker/docker/api/types/container"

	unionfs "mini/steps/03-unionfs"
	images "mini/steps/04-images"
	"mini/steps/07-runtime/commit"
)

func (s *Server) routeContainerFiles() {
	s.mux.HandleFunc("GET /containers/{id}/changes", handle(s.changes))
	s.mux.HandleFunc("GET /containers/{id}/export", handle(s.export))
	s.mux.HandleFunc("HEAD /containers/{id}/archive", handle(s.statArchive))
	s.mux.HandleFunc("GET /containers/{id}/archive", handle(s.getArchive))
	s.mux.HandleFunc("PUT /containers/{id}/archive", handle(s.putArchive))
	s.mux.HandleFunc("POST /commit", handle(s.commit))
}

// changeKinds are the API's numbers for step 03's kinds of change.
var changeKinds = map[byte]container.ChangeType{'C': container.ChangeModify, 'A': container.ChangeAdd, 'D': container.ChangeDelete}

func (s *Server) changes(w http.ResponseWriter, r *http.Request) error {
	list, err := s.rt.Changes(r.PathValue("id"))
	if err != nil {
		return notFoundOr(err, "No such container: %s", r.PathValue("id"))
	}
	out := []container.FilesystemChange{}
	for _, c := range list {
		out = append(out, container.FilesystemChange{Kind: changeKinds[c.Kind], Path: c.Path})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) export(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if _, err := s.container(id); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/x-tar")
	if err := s.rt.Export(id, w); err != nil {
		fmt.Fprintln(os.Stderr, "mini daemon: export:", err) // the tar has begun
	}
	return nil
}

// statHeader says what a path in the container is, in the header docker
// cp reads: base64 of JSON.
func (s *Server) statHeader(w http.ResponseWriter, r *http.Request) (string, error) {
	id, p := r.PathValue("id"), r.URL.Query().Get("path")
	if p == "" {
		return "", badRequest("path is needed")
	}
	if _, err := s.container(id); err != nil {
		return "", err
	}
	fi, err := s.rt.Stat(id, p)
	if err != nil {
		return "", err
	}
	st := container.PathStat{Name: path.Base(path.Clean("/" + p)), Size: fi.Size(), Mode: fi.Mode(), Mtime: fi.ModTime()}
	data, _ := json.Marshal(st)
	w.Header().Set("X-Docker-Container-Path-Stat", base64.StdEncoding.EncodeToString(data))
	return p, nil
}

func (s *Server) statArchive(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.statHeader(w, r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// getArchive is a path in the container as a tar stream, its top entry
// named as the path ends.
func (s *Server) getArchive(w http.ResponseWriter, r *http.Request) error {
	p, err := s.statHeader(w, r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/x-tar")
	name := path.Base(path.Clean("/" + p))
	if err := s.rt.CopyFrom(r.PathValue("id"), p, name, w); err != nil {
		fmt.Fprintln(os.Stderr, "mini daemon: copy from a container:", err) // the tar has begun
	}
	return nil
}

// putArchive extracts the body, a tar stream, into a directory of the
// container. The entries belong to root unless copyUIDGID asks for the
// archive's owners, as docker cp -a does.
func (s *Server) putArchive(w http.ResponseWriter, r *http.Request) error {
	id, dir := r.PathValue("id"), r.URL.Query().Get("path")
	if dir == "" {
		return badRequest("path is needed")
	}
	if _, err := s.container(id); err != nil {
		return err
	}
	isDir, err := s.rt.IsDir(id, dir)
	if err != nil {
		return err
	}
	if !isDir {
		return badRequest("extraction point %s is not a directory", dir)
	}
	opts := unionfs.ApplyOptions{}
	if !boolParam(r, "copyUIDGID") {
		opts.Owner = &[2]int{0, 0}
	}
	if err := s.rt.CopyTo(id, dir, r.Body, opts); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// commit is docker commit: POST /commit?container=ID&repo=R&tag=T, with
// a message, an author, Dockerfile changes and pause (true unless said).
func (s *Server) commit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ref := q.Get("container")
	if _, err := s.container(ref); err != nil {
		return err
	}
	tag := repoTag(q)
	opts := images.CommitOptions{Message: q.Get("comment"), Author: q.Get("author"), Changes: nonEmpty(q["changes"])}
	pause := q.Get("pause") == "" || boolParam(r, "pause")
	id, err := commit.Container(s.rt, ref, tag, opts, pause)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"Id": id})
	return nil
}

// nonEmpty are the lines of values, without blank ones: the client sends
// each change as a value, or several in one separated by newlines.
func nonEmpty(values []string) []string {
	var out []string
	for _, v := range values {
		for _, line := range strings.Split(v, "\n") {
			if strings.TrimSpace(line) != "" {
				out = append(out, line)
			}
		}
	}
	return out
}
