package imagestore

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Collect waits for a writer midway (files written, record not yet), and
// then takes what no record names, and what a dead writer left.
func TestCollectWaitsForWriters(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	layer := filepath.Join(s.LayersDir(), "0123abcd")
	stale := filepath.Join(s.BlobsDir(), "beef.tmp-999999999-") // no such PID
	inside, release := make(chan struct{}), make(chan struct{})
	go s.Ingest(func() error {
		os.MkdirAll(layer, 0o700)
		os.WriteFile(filepath.Join(layer, "f"), []byte("data"), 0o600)
		close(inside)
		<-release
		return nil
	})
	<-inside
	os.WriteFile(stale, []byte("half a blob"), 0o600)
	done := make(chan int64)
	go func() {
		n, err := s.Collect(nil)
		if err != nil {
			t.Error(err)
		}
		done <- n
	}()
	select {
	case <-done:
		t.Fatal("Collect ran while a writer was midway")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if n := <-done; n != int64(len("data")+len("half a blob")) {
		t.Errorf("Collect freed %d bytes", n)
	}
	for _, p := range []string{layer, stale} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s left: %v", p, err)
		}
	}
}
