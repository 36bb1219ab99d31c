package store

import (
	"path/filepath"
	"testing"

	"mini/internal/fastpath"

	"golang.org/x/sys/unix"
)

// On ext4, containers/ is made with the top-of-hierarchy flag (chattr +T).
func TestContainersDirIsATopDirOnExt4(t *testing.T) {
	if !fastpath.On() {
		t.Skip("MINI_PLAIN is set: the flag is an optimisation, and off")
	}
	dir := filepath.Join(t.TempDir(), "root", "containers")
	if err := makeContainersDir(dir); err != nil {
		t.Fatal(err)
	}
	if err := makeContainersDir(dir); err != nil {
		t.Fatalf("a second time: %v", err)
	}
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil || st.Type != unix.EXT4_SUPER_MAGIC {
		t.Skip("not on ext4")
	}
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	flags, err := unix.IoctlGetUint32(fd, unix.FS_IOC_GETFLAGS)
	if err != nil {
		t.Fatal(err)
	}
	if flags&fsTopdirFlag == 0 {
		t.Fatalf("flags %#x lack FS_TOPDIR_FL", flags)
	}
}
