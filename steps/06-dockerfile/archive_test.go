package dockerfile

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// ADD decides by content: a tar compressed any way Docker knows, whatever
// its name, is an archive; anything else, even named .tar, is a file.
func TestIsArchiveByContent(t *testing.T) {
	var plain bytes.Buffer
	tw := tar.NewWriter(&plain)
	tw.WriteHeader(&tar.Header{Name: "f", Mode: 0o644, Size: 2, Typeflag: tar.TypeReg})
	tw.Write([]byte("hi"))
	tw.Close()
	compressors := map[string]func(io.Writer) (io.WriteCloser, error){
		"gzip": func(w io.Writer) (io.WriteCloser, error) { return gzip.NewWriter(w), nil },
		"xz":   func(w io.Writer) (io.WriteCloser, error) { return xz.NewWriter(w) },
		"zstd": func(w io.Writer) (io.WriteCloser, error) { return zstd.NewWriter(w) },
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		return p
	}
	for name, compress := range compressors {
		var buf bytes.Buffer
		w, err := compress(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(plain.Bytes())
		w.Close()
		if p := write(name+".bin", buf.Bytes()); !isArchive(p) {
			t.Errorf("a %s tar named %s is not taken as an archive", name, filepath.Base(p))
		}
	}
	if p := write("plain.data", plain.Bytes()); !isArchive(p) {
		t.Error("a plain tar is not taken as an archive")
	}
	if p := write("notes.tar.gz", []byte("not an archive\n")); isArchive(p) {
		t.Error("a text file named .tar.gz is taken as an archive")
	}
	// bzip2: Go reads it but cannot write it; the bzip2 program can.
	if _, err := exec.LookPath("bzip2"); err == nil {
		p := write("plain.tar", plain.Bytes())
		out, err := exec.Command("bzip2", "-c", p).Output()
		if err != nil {
			t.Fatal(err)
		}
		if !isArchive(write("bz.bin", out)) {
			t.Error("a bzip2 tar is not taken as an archive")
		}
	}
}
