package unionfs

import (
	"archive/tar"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// entry is one tar entry to craft.
type entry struct {
	name, link, body string
	typ              byte
	mode             int64
	xattrs           map[string]string
}

func archive(t *testing.T, entries ...entry) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		hdr := &tar.Header{Name: e.name, Linkname: e.link, Typeflag: e.typ, Mode: mode,
			Size: int64(len(e.body)), ModTime: time.Unix(1500000000, 0), Format: tar.FormatPAX}
		if e.typ != tar.TypeReg {
			hdr.Size = 0
		}
		if e.typ == tar.TypeChar {
			hdr.Devmajor, hdr.Devminor = 1, 1
		}
		for k, v := range e.xattrs {
			if hdr.PAXRecords == nil {
				hdr.PAXRecords = map[string]string{}
			}
			hdr.PAXRecords["SCHILY.xattr."+k] = v
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	tw.Close()
	return &buf
}

// sandbox is a pretend host: a directory holding a sentinel file and the
// layer directory an archive is applied to. Whatever escapes the layer
// lands in the sandbox (or above), and snapshot sees it.
func sandbox(t *testing.T) (host, layer string) {
	if os.Geteuid() != 0 {
		t.Skip("applying ownership, devices and trusted xattrs needs root")
	}
	host = t.TempDir()
	layer = filepath.Join(host, "deep", "layer")
	os.MkdirAll(layer, 0o755)
	os.MkdirAll(filepath.Join(host, "etc"), 0o755)
	os.WriteFile(filepath.Join(host, "etc", "passwd"), []byte("host secret\n"), 0o600)
	return host, layer
}

// outside lists every path under host that is not under layer.
func outside(t *testing.T, host, layer string) []string {
	var out []string
	filepath.Walk(host, func(p string, fi os.FileInfo, err error) error {
		if p == layer || strings.HasPrefix(p, layer+"/") {
			return nil
		}
		out = append(out, strings.TrimPrefix(p, host))
		return nil
	})
	return out
}

var escapeCases = map[string][]entry{
	"dot-dot":              {{name: "../../escaped", typ: tar.TypeReg, body: "x"}},
	"absolute symlink":     {{name: "evil", link: "/", typ: tar.TypeSymlink}, {name: "evil/escaped", typ: tar.TypeReg, body: "x"}},
	"relative symlink":     {{name: "up", link: "../../..", typ: tar.TypeSymlink}, {name: "up/escaped", typ: tar.TypeReg, body: "x"}},
	"symlinked parent":     {{name: "d", link: "/../..", typ: tar.TypeSymlink}, {name: "d/etc/passwd", typ: tar.TypeReg, body: "pwned"}},
	"hardlink to host":     {{name: "hl", link: "/../../etc/passwd", typ: tar.TypeLink}},
	"hardlink abs":         {{name: "hl", link: "/etc/passwd", typ: tar.TypeLink}},
	"whiteout escape":      {{name: "../.wh.etc", typ: tar.TypeReg}},
	"symlink then write":   {{name: "link", link: "/etc/passwd", typ: tar.TypeSymlink}, {name: "link", typ: tar.TypeReg, body: "pwned"}},
	"device node":          {{name: "mem", typ: tar.TypeChar}},
	"whiteout via symlink": {{name: "w", link: "../..", typ: tar.TypeSymlink}, {name: "w/.wh.etc", typ: tar.TypeReg}},
}

// Each crafted archive is applied by a helper process (this test binary)
// that first chroots into the sandbox: whatever an archive manages, even
// with the protections broken, it can only reach the sandbox, never the
// machine running the test, and the sandbox is what is checked.
func TestApplyRefusesOrContainsEscapes(t *testing.T) {
	for name := range escapeCases {
		t.Run(name, func(t *testing.T) {
			host, layer := sandbox(t)
			before := outside(t, host, layer)
			cmd := exec.Command(os.Args[0], "-test.run=^TestEscapeHelper$")
			cmd.Env = append(os.Environ(), "ESCAPE_CASE="+name, "ESCAPE_SANDBOX="+host,
				"ESCAPE_LAYER="+strings.TrimPrefix(layer, host))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("helper: %v\n%s", err, out)
			}
			after := outside(t, host, layer)
			if strings.Join(before, "\n") != strings.Join(after, "\n") {
				t.Fatalf("the archive changed the tree outside the layer:\nbefore %v\nafter  %v", before, after)
			}
			if data, _ := os.ReadFile(filepath.Join(host, "etc", "passwd")); string(data) != "host secret\n" {
				t.Fatalf("a file outside the layer changed: %q", data)
			}
		})
	}
}

// TestEscapeHelper is the helper process: chroot into the sandbox, then
// apply one crafted archive (refused or contained: both are fine).
func TestEscapeHelper(t *testing.T) {
	name := os.Getenv("ESCAPE_CASE")
	if name == "" {
		t.Skip("run by TestApplyRefusesOrContainsEscapes")
	}
	if err := unix.Chroot(os.Getenv("ESCAPE_SANDBOX")); err != nil {
		t.Fatalf("chroot: %v", err)
	}
	if err := os.Chdir("/"); err != nil {
		t.Fatal(err)
	}
	Apply(os.Getenv("ESCAPE_LAYER"), archive(t, escapeCases[name]...), ApplyOptions{Whiteouts: true})
}

func TestApplyKeepsMetadata(t *testing.T) {
	_, layer := sandbox(t)
	err := Apply(layer, archive(t,
		entry{name: "bin/", typ: tar.TypeDir, mode: 0o751},
		entry{name: "bin/tool", typ: tar.TypeReg, mode: 0o4755, body: "#!/bin/sh\n", xattrs: map[string]string{"user.note": "kept"}},
		entry{name: "bin/alias", link: "tool", typ: tar.TypeSymlink},
		entry{name: "bin/hard", link: "bin/tool", typ: tar.TypeLink},
	), ApplyOptions{})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	fi, err := os.Stat(filepath.Join(layer, "bin/tool"))
	if err != nil || fi.Mode()&os.ModeSetuid == 0 || fi.Mode().Perm() != 0o755 {
		t.Fatalf("bin/tool mode = %v, %v; want setuid 0755", fi.Mode(), err)
	}
	if !fi.ModTime().Equal(time.Unix(1500000000, 0)) {
		t.Errorf("bin/tool mtime = %v", fi.ModTime())
	}
	if d, _ := os.Stat(filepath.Join(layer, "bin")); d.Mode().Perm() != 0o751 || !d.ModTime().Equal(time.Unix(1500000000, 0)) {
		t.Errorf("bin = %v %v, want 0751 and the archive's time", d.Mode(), d.ModTime())
	}
	buf := make([]byte, 16)
	if n, err := unix.Getxattr(filepath.Join(layer, "bin/tool"), "user.note", buf); err == nil && string(buf[:n]) != "kept" {
		t.Errorf("xattr = %q", buf[:n])
	}
	if l, _ := os.Readlink(filepath.Join(layer, "bin/alias")); l != "tool" {
		t.Errorf("symlink = %q", l)
	}
	var a, b unix.Stat_t
	unix.Stat(filepath.Join(layer, "bin/tool"), &a)
	unix.Stat(filepath.Join(layer, "bin/hard"), &b)
	if a.Ino != b.Ino {
		t.Errorf("hard link is a copy")
	}
}

func TestApplyConvertsWhiteouts(t *testing.T) {
	_, layer := sandbox(t)
	err := Apply(layer, archive(t,
		entry{name: "etc/", typ: tar.TypeDir, mode: 0o755},
		entry{name: "etc/.wh.removed", typ: tar.TypeReg},
		entry{name: "opaque/", typ: tar.TypeDir, mode: 0o755},
		entry{name: "opaque/.wh..wh..opq", typ: tar.TypeReg},
	), ApplyOptions{Whiteouts: true})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	var st unix.Stat_t
	if err := unix.Lstat(filepath.Join(layer, "etc/removed"), &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFCHR || st.Rdev != 0 {
		t.Fatalf("etc/removed is not a 0/0 character device: %+v %v", st, err)
	}
	if _, err := os.Lstat(filepath.Join(layer, "etc/.wh.removed")); err == nil {
		t.Error("the .wh. file itself was kept")
	}
	buf := make([]byte, 4)
	if n, err := unix.Getxattr(filepath.Join(layer, "opaque"), opaqueXattr, buf); err != nil || string(buf[:n]) != "y" {
		t.Fatalf("opaque dir xattr = %q, %v", buf[:n], err)
	}
}

// An upper directory written as a layer and applied again gives back the
// same whiteouts and opaque directories.
func TestWriteLayerRoundTrip(t *testing.T) {
	_, upper := sandbox(t)
	err := Apply(upper, archive(t,
		entry{name: "etc/", typ: tar.TypeDir, mode: 0o755},
		entry{name: "etc/.wh.shadow", typ: tar.TypeReg},
		entry{name: "etc/new.conf", typ: tar.TypeReg, body: "x=1\n"},
		entry{name: "var/", typ: tar.TypeDir, mode: 0o755},
		entry{name: "var/.wh..wh..opq", typ: tar.TypeReg},
	), ApplyOptions{Whiteouts: true})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	var layer bytes.Buffer
	if err := WriteLayer(&layer, upper); err != nil {
		t.Fatalf("WriteLayer: %v", err)
	}
	var names []string
	tr := tar.NewReader(bytes.NewReader(layer.Bytes()))
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		names = append(names, h.Name)
	}
	got := strings.Join(names, " ")
	for _, want := range []string{"etc/.wh.shadow", "etc/new.conf", "var/.wh..wh..opq"} {
		if !strings.Contains(got, want) {
			t.Errorf("layer lacks %s: %s", want, got)
		}
	}
	again := filepath.Join(t.TempDir(), "again")
	os.Mkdir(again, 0o755)
	if err := Apply(again, &layer, ApplyOptions{Whiteouts: true}); err != nil {
		t.Fatalf("Apply again: %v", err)
	}
	changes, err := Changes(again, nil)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, c := range changes {
		kinds = append(kinds, c.String())
	}
	if got := strings.Join(kinds, ","); !strings.Contains(got, "D /etc/shadow") || !isOpaque(filepath.Join(again, "var")) {
		t.Fatalf("round trip lost whiteouts: %s", got)
	}
}
