package grader

import (
	"compress/gzip"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/ulikunitz/xz"
)

// cmdCompress writes IN compressed as FORMAT (gzip, xz or zstd) to OUT:
// archives for ADD, made without tools the machine may lack.
func cmdCompress(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: compress gzip|xz|zstd IN OUT")
	}
	in, err := os.Open(ts.MkAbs(args[1]))
	ts.Check(err)
	defer in.Close()
	out, err := os.Create(ts.MkAbs(args[2]))
	ts.Check(err)
	defer out.Close()
	var w io.WriteCloser
	switch args[0] {
	case "gzip":
		w = gzip.NewWriter(out)
	case "xz":
		w, err = xz.NewWriter(out)
	case "zstd":
		w, err = zstd.NewWriter(out)
	default:
		ts.Fatalf("compress: unknown format %q", args[0])
	}
	ts.Check(err)
	_, err = io.Copy(w, in)
	ts.Check(err)
	ts.Check(w.Close())
}
