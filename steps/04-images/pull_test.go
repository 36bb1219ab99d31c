package images

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"golang.org/x/sys/unix"

	"mini/internal/fixture"
	"mini/steps/04-images/imagestore"
)

// testRegistry serves go-containerregistry's in-memory registry on
// loopback, counting blob fetches, with the fixture image pushed as
// busybox:latest. It returns the registry's host:port.
func testRegistry(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("unpacking layers keeps owners and makes whiteout devices: run as root")
	}
	var blobGets atomic.Int64
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/blobs/") {
			blobGets.Add(1)
		}
		reg.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	img, err := fixture.BusyboxImage()
	if err != nil {
		t.Fatalf("fixture image: %v", err)
	}
	ref, _ := name.ParseReference(host + "/busybox:latest")
	if err := remote.Write(ref, img); err != nil {
		t.Fatalf("push fixture: %v", err)
	}
	blobGets.Store(0)
	return host, &blobGets
}

func TestPullUnpacksEachLayerOnce(t *testing.T) {
	host, blobGets := testRegistry(t)
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rec, err := s.Pull(context.Background(), host+"/busybox", Lines{W: &out})
	if err != nil {
		t.Fatalf("Pull: %v\n%s", err, out.String())
	}
	if len(rec.DiffIDs) != 2 || !strings.Contains(out.String(), "Downloaded newer image for "+host+"/busybox:latest") {
		t.Fatalf("record %+v\n%s", rec, out.String())
	}
	top := s.LayerDir(rec.DiffIDs[1])
	if _, err := os.Stat(filepath.Join(top, fixture.TopLayerFile)); err != nil {
		t.Errorf("top layer lacks its file: %v", err)
	}
	var st unix.Stat_t
	if err := unix.Lstat(filepath.Join(top, "etc/fixture-release"), &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFCHR {
		t.Errorf("etc/fixture-release in the top layer is not a whiteout: %v", err)
	}
	if dirs := s.LowerDirs(rec); dirs[0] != top {
		t.Errorf("LowerDirs = %v, want the top layer first", dirs)
	}

	// Again: nothing is fetched but the manifest and config.
	before := blobGets.Load()
	out.Reset()
	if _, err := s.Pull(context.Background(), host+"/busybox:latest", Lines{W: &out}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Already exists") || !strings.Contains(out.String(), "Image is up to date") {
		t.Errorf("second pull:\n%s", out.String())
	}
	if n := blobGets.Load() - before; n > 1 {
		t.Errorf("second pull fetched %d blobs, want at most the config", n)
	}

	for _, ref := range []string{host + "/busybox", host + "/busybox:latest", rec.ID[7:19]} {
		if r, err := s.Lookup(ref); err != nil || r.ID != rec.ID {
			t.Errorf("Lookup(%q) = %v, %v", ref, r, err)
		}
	}
	if _, err := s.Lookup("nothing-here"); err != imagestore.ErrNotFound {
		t.Errorf("Lookup of an unknown image: %v", err)
	}
}
