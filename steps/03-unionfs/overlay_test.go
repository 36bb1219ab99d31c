package unionfs

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestMountDataFitsInAPage(t *testing.T) {
	l := Layers{Upper: "/var/lib/mini/containers/c/upper", Work: "/var/lib/mini/containers/c/work"}
	for i := 0; i < 45; i++ { // absolute, these are more than a page
		l.Lower = append(l.Lower, fmt.Sprintf("/var/lib/mini/layers/sha256-%064d/diff", i))
	}
	if abs := l.data(l.Lower); len(abs) < os.Getpagesize() {
		t.Fatalf("test layers fit a page even as absolute paths (%d bytes)", len(abs))
	}
	data, dir := l.MountData()
	if len(data) >= os.Getpagesize() {
		t.Fatalf("options are %d bytes, more than a page", len(data))
	}
	if dir != "/var/lib/mini/layers" || !strings.HasPrefix(data, "lowerdir=sha256-") {
		t.Fatalf("dir %q, data %.60q", dir, data)
	}
	short := Layers{Lower: []string{"/r/a:b"}, Upper: "/u", Work: "/w"}
	if data, dir := short.MountData(); dir != "" || data != `lowerdir=/r/a\:b,upperdir=/u,workdir=/w` {
		t.Fatalf("short: %q %q", data, dir)
	}
	short.Volatile = true
	if data, _ := short.MountData(); data != `lowerdir=/r/a\:b,upperdir=/u,workdir=/w,volatile` {
		t.Errorf("volatile: data %q", data)
	}
}
