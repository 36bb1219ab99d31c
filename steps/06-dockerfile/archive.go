// ADD's local archives: a tar, plain or compressed, is unpacked into the
// destination; any other file is copied. Docker decides by the content,
// never by the name: the first bytes say which compression (gzip, bzip2,
// xz, zstd), and what they decompress to must read as a tar. So Debian's
// official image, FROM scratch and ADD rootfs.tar.xz /, unpacks; a
// README.tar that is no tar is copied as it is.

package dockerfile

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// magics are the compressions Docker recognises, by their first bytes.
var magics = []struct {
	magic []byte
	open  func(io.Reader) (io.Reader, error)
}{
	{[]byte{0x1f, 0x8b, 0x08}, func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
	{[]byte("BZh"), func(r io.Reader) (io.Reader, error) { return bzip2.NewReader(r), nil }},
	{[]byte{0xfd, '7', 'z', 'X', 'Z', 0x00}, func(r io.Reader) (io.Reader, error) { return xz.NewReader(r) }},
	{[]byte{0x28, 0xb5, 0x2f, 0xfd}, func(r io.Reader) (io.Reader, error) {
		d, err := zstd.NewReader(r)
		if err != nil {
			return nil, err
		}
		return d.IOReadCloser(), nil
	}},
}

// decompressed is r decompressed by what its first bytes name; r itself
// when they name no compression.
func decompressed(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(6)
	for _, m := range magics {
		if bytes.HasPrefix(head, m.magic) {
			return m.open(br)
		}
	}
	return br, nil
}

// isArchive says whether ADD unpacks the local file p: whether it reads,
// decompressed, as a tar.
func isArchive(p string) bool {
	r, closeFile, err := openDecompressed(p)
	if err != nil {
		return false
	}
	defer closeFile()
	_, err = tar.NewReader(r).Next()
	return err == nil
}

// openDecompressed opens the file p, decompressed.
func openDecompressed(p string) (io.Reader, func() error, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, err
	}
	r, err := decompressed(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("ADD %s: %w", filepath.Base(p), err)
	}
	return r, f.Close, nil
}

// unpack copies an archive's entries under dest (resolved in the image).
func (c *copier) unpack(src, dest string) error {
	r, closeFile, err := openDecompressed(src)
	if err != nil {
		return err
	}
	defer closeFile()
	tr := tar.NewReader(r)
	c.dirs(dest)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("ADD %s: %w", filepath.Base(src), err)
		}
		name := path.Clean("/" + hdr.Name) // no .. out of dest
		if name == "/" {
			continue
		}
		hdr.Name = strings.TrimPrefix(path.Join(dest, name), "/")
		if hdr.Typeflag == tar.TypeDir {
			hdr.Name += "/"
		}
		if hdr.Typeflag == tar.TypeLink {
			hdr.Linkname = strings.TrimPrefix(path.Join(dest, path.Clean("/"+hdr.Linkname)), "/")
		}
		fmt.Fprintf(c.hash, "%s %o %d %d %s\n", hdr.Name, hdr.Mode, hdr.Uid, hdr.Gid, hdr.Linkname)
		if err := c.tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := io.Copy(io.MultiWriter(c.tw, c.hash), tr); err != nil {
			return err
		}
	}
}
