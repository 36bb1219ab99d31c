package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// marked is a file with every kind of part: a failing one with an error,
// one with named results, one with no error to return (it panics), one that
// does nothing, and a function of another lab that must stay whole.
const marked = `package demo

import (
	"fmt"
	"strings"
	"unicode"
)

// Upper shouts.
//
//lab:09,fail upper-case s
func Upper(s string) (string, error) {
	return strings.ToUpper(s), nil
}

// Count counts.
//
//lab:09,fail count the letters
func Count(s string) (n, m int, err error) {
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n, 0, nil
}

//lab:09,fail say it
func Say(s string) string { return fmt.Sprint(s) }

type T struct{}

//lab:09 nothing to see
func (*T) Quiet() {}

//lab:10 not this lab
func Kept() string { return fmt.Sprint("kept") }
`

func TestCutLeavesStubsThatBuild(t *testing.T) {
	names := map[string]string{"fmt": "fmt", "strings": "strings", "unicode": "unicode"}
	out, parts, err := cut("demo.go", []byte(marked), "09", "labs/09-demo.md", names)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 4 {
		t.Fatalf("found %d parts of lab 09, want 4: %v", len(parts), parts)
	}
	src := string(out)
	for _, want := range []string{
		`return *new(string), errors.New("TODO(lab 09): upper-case s")`,
		`return *new(int), *new(int), errors.New("TODO(lab 09): count the letters")`,
		`panic("TODO(lab 09): say it")`,
		`// TODO(lab 09): nothing to see`,
		`return fmt.Sprint("kept")`,
		`"errors"`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the cut file lacks %s:\n%s", want, src)
		}
	}
	for _, gone := range []string{`"strings"`, `"unicode"`, "ToUpper"} {
		if strings.Contains(src, gone) {
			t.Errorf("the cut file still has %s:\n%s", gone, src)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module demo\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "demo.go"), out, 0o644)
	cmd := exec.Command("go", "vet", ".")
	cmd.Dir = dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the cut file does not build: %v\n%s\n%s", err, msg, src)
	}
}

// TestLabsExplainEveryPart: each part a skeleton takes out is named in its
// lab's "Build it yourself", which the stub sends the student to.
func TestLabsExplainEveryPart(t *testing.T) {
	files, err := sourceFiles("../..")
	if err != nil {
		t.Fatal(err)
	}
	stages, _ := filepath.Glob("../../testdata/[0-9][0-9]-*")
	for _, dir := range stages {
		stage := filepath.Base(dir)[:2]
		lab, err := labFile("../..", stage)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := os.ReadFile(filepath.Join("../..", lab))
		_, section, ok := strings.Cut(string(text), "## Build it yourself")
		if !ok {
			t.Errorf("%s has no \"Build it yourself\"", lab)
			continue
		}
		section, _, _ = strings.Cut(section, "\n## ")
		n := 0
		for _, f := range files {
			if !strings.HasSuffix(f, ".go") || strings.HasPrefix(f, "tools/skeleton/") {
				continue
			}
			data, _ := os.ReadFile(filepath.Join("../..", f))
			parts, err := findParts(f, data, stage)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range parts {
				n++
				if !strings.Contains(section, "`"+p.Func+"`") {
					t.Errorf("%s's \"Build it yourself\" does not name %s (%s:%d)", lab, p.Func, p.File, p.Line)
				}
			}
		}
		if n == 0 {
			t.Errorf("stage %s has no part marked //lab:%s for a student to write", stage, stage)
		}
	}
}
