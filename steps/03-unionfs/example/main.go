// Command example is step 03 alone: an overlay of two read-only layers
// and an upper directory, and what copy-on-write leaves in the upper one.
//
//	sudo go run ./steps/03-unionfs/example
//
// It makes two layers in a temporary directory (the bottom one with
// /etc/motd and /bin/tool, the top one replacing /etc/motd), mounts them
// under an upper directory, and changes the merged view: a write to a
// lower file copies it up first, a new file goes to the upper directory
// only, and a deleted lower file leaves a whiteout there (a 0/0 character
// device). The lower layers never change. Then it lists the changes as
// mini diff does, and unmounts.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	unionfs "mini/steps/03-unionfs"
)

func main() {
	tmp, err := os.MkdirTemp("", "overlay-example-")
	check(err)
	atExit(func() { os.RemoveAll(tmp) })
	dir := func(name string) string {
		d := filepath.Join(tmp, name)
		check(os.MkdirAll(d, 0o755))
		return d
	}
	bottom, top := dir("layer-bottom"), dir("layer-top")
	write(bottom, "etc/motd", "hello from the bottom layer\n")
	write(bottom, "bin/tool", "#!/bin/sh\n")
	write(top, "etc/motd", "hello from the top layer\n")

	l := unionfs.Layers{Lower: []string{top, bottom}, Upper: dir("upper"), Work: dir("work")}
	check(unionfs.CheckUpper(l.Upper))
	merged := dir("merged")
	data, _ := l.MountData() // two short paths: no relative names needed
	fmt.Printf("mount -t overlay overlay -o %s %s\n", data, merged)
	check(unix.Mount("overlay", merged, "overlay", 0, data))
	atExit(func() { unix.Unmount(merged, unix.MNT_DETACH) })

	fmt.Printf("merged /etc/motd: %s", read(merged, "etc/motd")) // the top layer wins
	write(merged, "etc/motd", "changed in the container\n")      // copy-up, then the write
	write(merged, "new.txt", "made in the container\n")          // the upper layer only
	check(os.Remove(filepath.Join(merged, "bin/tool")))          // a whiteout in upper

	fmt.Printf("top layer's /etc/motd still: %s", read(top, "etc/motd"))
	fmt.Println("the upper directory now holds:")
	filepath.Walk(l.Upper, func(p string, fi os.FileInfo, err error) error {
		if err == nil && p != l.Upper {
			rel, _ := filepath.Rel(l.Upper, p)
			fmt.Printf("  %-22s %s\n", kind(fi), rel)
		}
		return nil
	})
	changes, err := unionfs.Changes(l.Upper, l.Lower)
	check(err)
	fmt.Println("mini diff would say:")
	for _, c := range changes {
		fmt.Println(" ", c)
	}
	cleanUp()
}

// kind names what overlayfs left in the upper directory.
func kind(fi os.FileInfo) string {
	switch {
	case fi.IsDir():
		return "directory (copied up)"
	case fi.Mode()&os.ModeCharDevice != 0:
		return "whiteout (char 0/0)"
	}
	return "file"
}

// cleanups run in reverse order at the end, or when a step fails.
var cleanups []func()

func atExit(f func()) { cleanups = append(cleanups, f) }

func cleanUp() {
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
}

func write(dir, name, content string) {
	p := filepath.Join(dir, name)
	check(os.MkdirAll(filepath.Dir(p), 0o755))
	check(os.WriteFile(p, []byte(content), 0o644))
}

func read(dir, name string) string {
	data, err := os.ReadFile(filepath.Join(dir, name))
	check(err)
	return string(data)
}

func check(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "example: %v\n", err)
		cleanUp()
		os.Exit(1)
	}
}
