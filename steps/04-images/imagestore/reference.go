// Image names, as Docker reads them: busybox is docker.io/library/busybox:latest;
// user/img:tag, host:port/repo@sha256:... and so on.
//
// A name is [REGISTRY/]PATH[:TAG][@DIGEST]:
//
//   - REGISTRY is the first part of the path when it looks like a host: it
//     has a dot or a port (127.0.0.1:5000, ghcr.io), or is localhost.
//     Otherwise the image is on Docker Hub, docker.io.
//   - PATH is lowercase parts joined by slashes (user/img). On Docker Hub a
//     path of one part is an official image, under library/.
//   - TAG names a version that can move; latest when there is none.
//   - DIGEST pins the image's content: sha256: and the manifest's hash.
//
// The names a user types and mini prints are the familiar ones, the
// defaults left out (busybox:latest, not docker.io/library/busybox:latest).

package imagestore

import (
	"fmt"
	"strings"
)

// Docker Hub, and the name Docker's own tools also give it.
const (
	hubRegistry   = "docker.io"
	hubAlias      = "index.docker.io"
	officialImage = "library/"
)

// Reference is a parsed image name.
type Reference struct {
	Registry string // docker.io, 127.0.0.1:5000
	Path     string // library/busybox, user/img
	Tag      string // "" when a digest pins the image
	Digest   string // sha256:..., or ""
	Name     string // the familiar form: busybox:latest, 127.0.0.1:5000/app:1
}

// ParseReference reads an image name.
func ParseReference(s string) (*Reference, error) {
	r := &Reference{}
	rest := s
	if before, digest, ok := strings.Cut(rest, "@"); ok {
		if !validDigest(digest) {
			return nil, invalidReference(s, "a digest is sha256: and 64 hexadecimal digits")
		}
		rest, r.Digest = before, digest
	}
	if i := strings.LastIndexByte(rest, ':'); i > strings.LastIndexByte(rest, '/') {
		if !validTag(rest[i+1:]) {
			return nil, invalidReference(s, "a tag is up to 128 letters, digits, _ . and -, not starting with . or -")
		}
		rest, r.Tag = rest[:i], rest[i+1:]
	}
	r.Registry, r.Path = splitRegistry(rest)
	if !validRegistry(r.Registry) {
		return nil, invalidReference(s, "bad registry "+r.Registry)
	}
	if !validPath(r.Path) || len(rest) > 255 {
		return nil, invalidReference(s, "a repository name is lowercase letters and digits, in parts joined by / and by . _ __ or -")
	}
	if r.Digest != "" {
		r.Tag = "" // the digest says which image; the tag adds nothing
	} else if r.Tag == "" {
		r.Tag = "latest"
	}
	r.Name = r.familiar()
	return r, nil
}

func invalidReference(s, why string) error {
	return fmt.Errorf("invalid reference format %q: %s", s, why)
}

// splitRegistry separates the registry from the path, as Docker does.
func splitRegistry(name string) (registry, path string) {
	first, rest, ok := strings.Cut(name, "/")
	if !ok || !(strings.ContainsAny(first, ".:") || first == "localhost") {
		registry, path = hubRegistry, name
	} else {
		registry, path = first, rest
	}
	if registry == hubAlias {
		registry = hubRegistry
	}
	if registry == hubRegistry && !strings.Contains(path, "/") {
		path = officialImage + path
	}
	return registry, path
}

// familiar drops what Docker leaves unsaid: Docker Hub, and the "library/"
// of its official images.
func (r *Reference) familiar() string {
	n := r.Registry + "/" + r.Path
	if r.Registry == hubRegistry {
		n = strings.TrimPrefix(r.Path, officialImage)
	}
	if r.Digest != "" {
		return n + "@" + r.Digest
	}
	return n + ":" + r.Tag
}

// Repository is the familiar name without tag or digest.
func (r *Reference) Repository() string {
	n, _, _ := strings.Cut(r.Name, "@")
	if i := strings.LastIndex(n, ":"); i > strings.LastIndex(n, "/") {
		n = n[:i]
	}
	return n
}

// Full is the name with nothing left out, as a registry client wants it.
func (r *Reference) Full() string {
	n := r.Registry + "/" + r.Path
	if r.Digest != "" {
		return n + "@" + r.Digest
	}
	return n + ":" + r.Tag
}

// validPath checks each part of a path: lowercase letters and digits, in
// runs joined by one separator (a dot, one or two underscores, or dashes).
func validPath(path string) bool {
	for _, part := range strings.Split(path, "/") {
		if !validPart(part) {
			return false
		}
	}
	return true
}

func validPart(p string) bool {
	for i := 0; ; {
		start := i
		for i < len(p) && (p[i] >= 'a' && p[i] <= 'z' || p[i] >= '0' && p[i] <= '9') {
			i++
		}
		if i == start {
			return false // empty, or a separator where a run should be
		}
		if i == len(p) {
			return true
		}
		switch {
		case strings.HasPrefix(p[i:], "__"):
			i += 2
		case p[i] == '.' || p[i] == '_':
			i++
		case p[i] == '-':
			for i < len(p) && p[i] == '-' {
				i++
			}
		default:
			return false
		}
	}
}

// validRegistry checks a host name or address, with an optional port.
func validRegistry(r string) bool {
	host, port, hasPort := strings.Cut(r, ":")
	if host == "" || (hasPort && (port == "" || strings.Trim(port, "0123456789") != "")) {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' ||
			strings.Trim(label, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
			return false
		}
	}
	return true
}

// validTag: letters, digits and _ . -, up to 128, not starting with . or -.
func validTag(t string) bool {
	return t != "" && len(t) <= 128 && t[0] != '.' && t[0] != '-' &&
		strings.Trim(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == ""
}

// validDigest: sha256: and 64 lowercase hexadecimal digits.
func validDigest(d string) bool {
	hex, ok := strings.CutPrefix(d, "sha256:")
	return ok && len(hex) == 64 && strings.Trim(hex, "0123456789abcdef") == ""
}
