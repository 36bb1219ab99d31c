// The registry the scenarios pull from: go-containerregistry's registry,
// in memory, served on a loopback port of this test process, with the
// fixture image pushed as $REGISTRY/busybox. No traffic leaves 127.0.0.1.

package grader

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/rogpeppe/go-internal/testscript"

	"mini/internal/fixture"
)

// startRegistry serves the registry until the test ends and returns its
// host:port, and that of a slow front end to the same registry.
func startRegistry(t *testing.T) (string, string) {
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(reg)
	t.Cleanup(srv.Close)
	slow := httptest.NewServer(stallingBlobs(reg))
	t.Cleanup(slow.Close)
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
	if err := pushBadDiffID(host, img); err != nil {
		t.Fatalf("push the image with a wrong diffID: %v", err)
	}
	if multiDigest, err = pushMultiPlatform(host, img); err != nil {
		t.Fatalf("push the multi-platform image: %v", err)
	}
	return host, strings.TrimPrefix(slow.URL, "http://")
}

// multiDigest is the digest of $REGISTRY/multi's index ($MULTIDIGEST);
// multiOther the architecture of its other image ($MULTIOTHER).
var multiDigest, multiOther string

// pushMultiPlatform pushes $REGISTRY/multi: an index of the fixture image
// for this machine's platform and another image for another platform,
// and returns the index's digest, which a pull must record (not that of
// the platform's manifest in it).
func pushMultiPlatform(host string, img v1.Image) (string, error) {
	other, err := mutate.Config(img, v1.Config{Env: []string{"PLATFORM=other"}})
	if err != nil {
		return "", err
	}
	otherArch := map[string]string{"amd64": "arm64"}[goruntime.GOARCH]
	if otherArch == "" {
		otherArch = "amd64"
	}
	multiOther = otherArch
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: other, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: otherArch}}},
		mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: goruntime.GOARCH}}})
	ref, err := name.ParseReference(host + "/multi:latest")
	if err != nil {
		return "", err
	}
	if err := remote.WriteIndex(ref, idx); err != nil {
		return "", err
	}
	d, err := idx.Digest()
	return d.String(), err
}

// pushBadDiffID pushes $REGISTRY/baddiff: the fixture image, whose config
// names a diffID for its top layer that the layer's bytes do not have. A
// pull must refuse it: the diffID is how an image says what its layers
// are, whatever the registry serves.
func pushBadDiffID(host string, img v1.Image) error {
	cfg, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cfg = cfg.DeepCopy()
	top := len(cfg.RootFS.DiffIDs) - 1
	cfg.RootFS.DiffIDs[top] = v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("0", 64)}
	bad, err := mutate.ConfigFile(img, cfg)
	if err != nil {
		return err
	}
	ref, err := name.ParseReference(host + "/baddiff:latest")
	if err != nil {
		return err
	}
	return remote.Write(ref, bad)
}

// stallingBlobs serves the registry, but sends only the first half of any
// blob over 64 KB and then waits until the client goes away: a pull from it
// stops in the middle of a layer, for a scenario to kill.
func stallingBlobs(reg http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/blobs/") {
			reg.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		reg.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		if len(body) < 64<<10 {
			w.Write(body)
			return
		}
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
}

// startDistribution runs Debian's docker-registry (the CNCF Distribution
// registry) on a free loopback port with storage of its own, behind
// htpasswd authentication when user is not empty; it is stopped when the
// test ends. It returns host:port, or "" when the registry is not
// installed (scenarios that need it are guarded with [exec:docker-registry]).
func startDistribution(t *testing.T, user, password string) string {
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		return ""
	}
	dir := t.TempDir()
	addr := freeLoopbackAddr(t)
	config := fmt.Sprintf("version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"+
		"storage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: %s\n",
		filepath.Join(dir, "storage"), addr)
	if user != "" {
		htpasswd := filepath.Join(dir, "htpasswd")
		out, err := exec.Command("htpasswd", "-Bbc", htpasswd, user, password).CombinedOutput()
		if err != nil {
			t.Fatalf("htpasswd (apache2-utils): %v\n%s", err, out)
		}
		config += fmt.Sprintf("auth:\n  htpasswd:\n    realm: mini-test\n    path: %s\n", htpasswd)
	}
	cfgPath := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfgPath, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", cfgPath)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start docker-registry: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/v2/"); err == nil {
			resp.Body.Close()
			return addr
		}
	}
	t.Fatalf("docker-registry did not answer on %s:\n%s", addr, logs.String())
	return ""
}

// freeLoopbackAddr finds a port no one listens on, on 127.0.0.1.
func freeLoopbackAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// cmdOciarchive writes the fixture image as an OCI archive (an OCI image
// layout in a tar, as podman save --format oci-archive writes it), named
// NAME in the index's org.opencontainers.image.ref.name annotation.
func cmdOciarchive(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: ociarchive OUT.tar NAME")
	}
	img, err := fixture.BusyboxImage()
	ts.Check(err)
	dir := ts.MkAbs("oci-layout-" + filepath.Base(args[0]))
	p, err := layout.Write(dir, empty.Index)
	ts.Check(err)
	ts.Check(p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": args[1]})))
	out, err := os.Create(ts.MkAbs(args[0]))
	ts.Check(err)
	defer out.Close()
	tw := tar.NewWriter(out)
	ts.Check(tw.AddFS(os.DirFS(dir)))
	ts.Check(tw.Close())
	ts.Check(os.RemoveAll(dir))
}
