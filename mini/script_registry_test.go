// The registry the scenarios pull from: go-containerregistry's registry,
// in memory, served on a loopback port of this test process, with the
// fixture image pushed as $REGISTRY/busybox. No traffic leaves 127.0.0.1.

package main

import (
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"mini/internal/fixture"
)

// startRegistry serves the registry until the test ends and returns its
// host:port.
func startRegistry(t *testing.T) string {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	img, err := fixture.BusyboxImage()
	if err != nil {
		t.Fatalf("fixture image: %v", err)
	}
	ref, err := name.ParseReference(host + "/busybox:latest")
	if err == nil {
		err = remote.Write(ref, img)
	}
	if err != nil {
		t.Fatalf("push the fixture image: %v", err)
	}
	return host
}
