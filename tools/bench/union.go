// Stage 03's figures: the overlay's own mount and unmount, and the
// throughput of export and cp beside tar on the same 200 MB tree.

package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"golang.org/x/sys/unix"
)

// overlayCost times mount and unmount of an overlay like a container's, on
// a thread of its own in a private mount namespace, so that nothing can be
// left mounted on the host whatever happens.
func overlayCost(dir, lower string, n int) (time.Duration, error) {
	result := make(chan error, 1)
	var times []time.Duration
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with its namespace
		if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
			result <- err
			return
		}
		if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
			result <- err
			return
		}
		for i := 0; i < n; i++ {
			d, err := oneOverlay(filepath.Join(dir, fmt.Sprint(i)), lower)
			if err != nil {
				result <- err
				return
			}
			times = append(times, d)
		}
		result <- nil
	}()
	if err := <-result; err != nil {
		return 0, err
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times[len(times)/2], nil
}

func oneOverlay(dir, lower string) (time.Duration, error) {
	upper, work, merged := filepath.Join(dir, "u"), filepath.Join(dir, "w"), filepath.Join(dir, "m")
	for _, d := range []string{upper, work, merged} {
		os.MkdirAll(d, 0o755)
	}
	start := time.Now()
	data := fmt.Sprintf("lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work)
	if err := unix.Mount("overlay", merged, "overlay", 0, data); err != nil {
		return 0, fmt.Errorf("mount overlay: %w", err)
	}
	if err := unix.Unmount(merged, 0); err != nil {
		return 0, err
	}
	return time.Since(start), os.RemoveAll(dir)
}

// makeTree fills dir with about 200 MB in 2000 files of 100 KB.
func makeTree(dir string) error {
	buf := make([]byte, 100<<10)
	for i := 0; i < 2000; i++ {
		sub := filepath.Join(dir, fmt.Sprint(i%20))
		os.MkdirAll(sub, 0o755)
		rand.Read(buf)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%d", i)), buf, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// timeShell runs a shell command line and returns how long it took.
func timeShell(line string) (time.Duration, error) {
	start := time.Now()
	out, err := exec.Command("sh", "-c", line).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%s: %v\n%s", line, err, out)
	}
	return time.Since(start), nil
}

// throughput compares mini export and cp with tar on a 200 MB tree in the
// container's image layer.
func throughput(dir, mini, rootfs string) error {
	if err := makeTree(filepath.Join(rootfs, "data")); err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Join(rootfs, "data"))
	root := filepath.Join(dir, "root")
	cid := filepath.Join(dir, "cid")
	if _, err := timeShell(fmt.Sprintf("%s --root %s run --net none --cgroups disabled --cidfile %s --rootfs %s true", mini, root, cid, rootfs)); err != nil {
		return err
	}
	id, _ := os.ReadFile(cid)
	lines := [][2]string{
		// Through cat: GNU tar writing straight to /dev/null skips reading.
		{"mini export", fmt.Sprintf("%s --root %s export %s | cat > /dev/null", mini, root, id)},
		{"tar (export)", fmt.Sprintf("tar -cf - -C %s . | cat > /dev/null", rootfs)},
		{"mini cp out", fmt.Sprintf("rm -rf %[1]s/out && mkdir %[1]s/out && %[2]s --root %[3]s cp %[4]s:/data %[1]s/out", dir, mini, root, id)},
		{"tar | tar", fmt.Sprintf("rm -rf %[1]s/out && mkdir %[1]s/out && tar -cf - -C %[2]s data | tar -xf - -C %[1]s/out", dir, rootfs)},
	}
	fmt.Printf("\n%-14s %9s %10s   (200 MB, 2000 files; best of 3)\n", "COPY", "TIME", "MB/s")
	for _, l := range lines {
		best, err := bestOf3(l[1])
		if err != nil {
			return err
		}
		fmt.Printf("%-14s %9s %10.0f\n", l[0], ms(best), 200/best.Seconds())
	}
	os.RemoveAll(filepath.Join(dir, "out"))
	_, err := timeShell(fmt.Sprintf("%s --root %s rm %s", mini, root, id))
	return err
}

// bestOf3 runs a command line three times and returns the fastest.
func bestOf3(line string) (time.Duration, error) {
	best := time.Hour
	for i := 0; i < 3; i++ {
		d, err := timeShell(line)
		if err != nil {
			return 0, err
		}
		best = min(best, d)
	}
	return best, nil
}
