package namespaces

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// A container that gets hold of /proc/PID/exe of its init must not be able
// to write to the binary behind it (CVE-2019-5736). Each way of sealing is
// checked by trying to do exactly that.
func TestSealedBinaryCannotBeWritten(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("sealing the binary needs root: run the tests with sudo")
	}
	for name, seal := range map[string]func() (*os.File, error){
		"overlay": func() (*os.File, error) { return sealedOverlay(self(t)) },
		"memfd":   func() (*os.File, error) { return sealedMemfd(self(t)) },
	} {
		t.Run(name, func(t *testing.T) {
			f, err := seal()
			if err != nil {
				t.Fatalf("seal: %v", err)
			}
			defer f.Close()
			path := fmt.Sprintf("/proc/self/fd/%d", f.Fd())
			err = writeThrough(path)
			if err == nil {
				t.Fatalf("wrote to the binary through %s", path)
			}
			if !errors.Is(err, unix.EROFS) && !errors.Is(err, unix.EPERM) {
				t.Fatalf("write through %s failed, but not for the seal: %v", path, err)
			}
		})
	}
}

// writeThrough does what the attack does: reopen the handle for writing and
// write to it.
func writeThrough(path string) error {
	w, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer w.Close()
	_, err = w.WriteAt([]byte("pwned"), 0)
	return err
}

func self(t *testing.T) string {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}
