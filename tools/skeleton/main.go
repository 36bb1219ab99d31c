// Command skeleton cuts a student's tree for one lab out of this one: the
// whole of mini, with the parts that lab is about taken out.
//
//	go run ./tools/skeleton -stage 01 -out ~/mini-lab01
//	make skeleton STAGE=01 DIR=~/mini-lab01
//
// The parts are marked in the reference code itself, in the spirit of
// Crafting Interpreters' chapter snapshots: a function whose doc comment
// carries the directive
//
//	//lab:01 pivot_root into the new root and detach the old one
//
// keeps its name, signature and comments, and loses its body to a stub that
// says what to write and where the lab explains it. A stub with ",fail"
// (//lab:01,fail ...) returns an error (or panics, for a function with no
// error to return), so that nothing runs until it is written: used where
// carrying on without the part would be unsafe, as running a container in
// the host's root would be. Any other stub does nothing and returns zero
// values, so the rest of mini keeps working while the student writes it.
//
// The cut tree builds, passes the stages before NN and fails stage NN's
// grader; tools/skeleton/prove.sh checks exactly that in CI. Because the
// skeleton is cut from the reference every time, it is never kept by hand
// and cannot drift from it.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	stage := flag.String("stage", "", "the lab whose parts to take out: 01, 02, ...")
	out := flag.String("out", "", "the directory to write the tree into (must not exist)")
	src := flag.String("src", ".", "the reference tree to cut from")
	list := flag.Bool("list", false, "only list the stage's parts, one per line")
	flag.Parse()
	if err := run(*stage, *src, *out, *list); err != nil {
		fmt.Fprintf(os.Stderr, "skeleton: %v\n", err)
		os.Exit(1)
	}
}

func run(stage, src, out string, list bool) error {
	if len(stage) != 2 || strings.Trim(stage, "0123456789") != "" {
		return fmt.Errorf("-stage %q: give a lab's two-digit number, such as -stage 01", stage)
	}
	lab, err := labFile(src, stage)
	if err != nil {
		return err
	}
	files, err := sourceFiles(src)
	if err != nil {
		return err
	}
	if list {
		return listParts(src, files, stage)
	}
	if out == "" {
		return fmt.Errorf("-out DIR is needed: where to write the skeleton")
	}
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("%s exists already: give a new directory, so no work of yours is overwritten", out)
	}
	names, err := packageNames(src)
	if err != nil {
		return err
	}
	// Cut into a temporary directory beside out and rename it into place,
	// so a failed cut leaves nothing half-written.
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(out)), ".skeleton-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var parts []Part
	for _, f := range files {
		got, err := copyFile(src, tmp, f, stage, lab, names)
		if err != nil {
			return err
		}
		parts = append(parts, got...)
	}
	if len(parts) == 0 {
		return fmt.Errorf("no part of lab %s is marked (//lab:%s) in %s", stage, stage, src)
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fmt.Printf("lab %s: %d parts to write in %s (see %s, \"Build it yourself\"):\n", stage, len(parts), out, lab)
	for _, p := range parts {
		fmt.Printf("  %s\n", p)
	}
	return nil
}

// labFile is the lab chapter of a stage, labs/NN-name.md.
func labFile(src, stage string) (string, error) {
	m, _ := filepath.Glob(filepath.Join(src, "labs", stage+"-*.md"))
	if len(m) != 1 {
		return "", fmt.Errorf("no lab %s: there is no labs/%s-*.md in %s", stage, stage, src)
	}
	return filepath.ToSlash(filepath.Join("labs", filepath.Base(m[0]))), nil
}

// sourceFiles lists the tree's files: git's list where it is a clone
// (committed or not, but not ignored), so nothing built is copied; else
// every file but bin and build.
func sourceFiles(src string) ([]string, error) {
	if out, err := exec.Command("git", "-C", src, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output(); err == nil {
		var files []string
		for _, f := range strings.Split(string(out), "\x00") {
			if f != "" {
				files = append(files, f)
			}
		}
		return files, nil
	}
	var files []string
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() && (rel == ".git" || rel == "bin" || rel == "build") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			files = append(files, rel)
		}
		return nil
	})
	return files, err
}

// packageNames maps each import path the tree uses to its package's name,
// which is how a file refers to it (mini/steps/01-namespaces is
// "namespaces"). The stubs need it to drop imports they no longer use.
func packageNames(src string) (map[string]string, error) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Name}}", "./...")
	cmd.Dir = src
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list in %s: %w", src, err)
	}
	names := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			names[f[0]] = f[1]
		}
	}
	return names, nil
}

// copyFile copies one file into the skeleton, cutting the stage's parts out
// of it if it is Go source that has any.
func copyFile(src, dst, rel, stage, lab string, names map[string]string) ([]Part, error) {
	from := filepath.Join(src, rel)
	fi, err := os.Lstat(from)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // deleted, not yet committed
	}
	if err != nil {
		return nil, err
	}
	to := filepath.Join(dst, rel)
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(from)
		if err != nil {
			return nil, err
		}
		return nil, os.Symlink(target, to)
	}
	data, err := os.ReadFile(from)
	if err != nil {
		return nil, err
	}
	var parts []Part
	if strings.HasSuffix(rel, ".go") && bytes.Contains(data, []byte("//lab:"+stage)) {
		data, parts, err = cut(rel, data, stage, lab, names)
		if err != nil {
			return nil, err
		}
	}
	return parts, os.WriteFile(to, data, fi.Mode().Perm())
}

// listParts prints the stage's parts without cutting anything.
func listParts(src string, files []string, stage string) error {
	for _, rel := range files {
		if !strings.HasSuffix(rel, ".go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			return err
		}
		parts, err := findParts(rel, data, stage)
		if err != nil {
			return err
		}
		for _, p := range parts {
			fmt.Println(p)
		}
	}
	return nil
}
