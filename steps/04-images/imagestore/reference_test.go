package imagestore

import (
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
)

func TestParseReferenceIsDockers(t *testing.T) {
	digest := "sha256:" + strings.Repeat("ab", 32)
	for in, want := range map[string]string{
		"busybox":                    "busybox:latest",
		"user/img:tag":               "user/img:tag",
		"docker.io/library/alpine:3": "alpine:3",
		"index.docker.io/user/x":     "user/x:latest",
		"127.0.0.1:5000/app":         "127.0.0.1:5000/app:latest",
		"localhost:5000/a/b:c":       "localhost:5000/a/b:c",
		"localhost/from-oci:v2":      "localhost/from-oci:v2",
		"ghcr.io/o/r__x-y.z:1.0_b":   "ghcr.io/o/r__x-y.z:1.0_b",
		"busybox@" + digest:          "busybox@" + digest,
		"busybox:1@" + digest:        "busybox@" + digest,
	} {
		r, err := ParseReference(in)
		if err != nil || r.Name != want {
			t.Errorf("ParseReference(%q) = %v, %v; want %s", in, r, err, want)
		}
	}
	for _, bad := range []string{"UPPER/case", "NOT/valid:name:x", "a//b", "-a", "a-", "a..b", "a___b",
		"a:-tag", "a:" + strings.Repeat("t", 129), "a@sha256:12", "host:port/x", ":tag", ""} {
		if _, err := ParseReference(bad); err == nil {
			t.Errorf("ParseReference(%q) accepted an invalid name", bad)
		}
	}
}

// The registry client (go-containerregistry) must read every name the same
// way: the same registry, repository and tag or digest.
func TestParseReferenceAgreesWithTheClient(t *testing.T) {
	for _, in := range []string{"busybox", "user/img:tag", "docker.io/library/alpine:3", "127.0.0.1:5000/app",
		"localhost:5000/a/b:c", "localhost/x", "ghcr.io/o/r:1", "busybox@sha256:" + strings.Repeat("0f", 32)} {
		r, err := ParseReference(in)
		if err != nil {
			t.Fatalf("ParseReference(%q): %v", in, err)
		}
		ours, err := name.ParseReference(r.Full())
		if err != nil {
			t.Fatalf("the client refuses %q (from %q): %v", r.Full(), in, err)
		}
		theirs, err := name.ParseReference(in)
		if err != nil || ours.Name() != theirs.Name() {
			t.Errorf("%q: ours %s, the client's %v (%v)", in, ours.Name(), theirs, err)
		}
	}
}
