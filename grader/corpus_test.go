package grader

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"mini/internal/imagefacts"
)

// cmdCorpus builds the corpus entry NAME ($STAGEDIR/corpus/NAME) with the
// mini under test, on the image corpus-base, and compares what the build
// added with what Docker's classic builder added (NAME/want.json, recorded
// by tools/dockercorpus): files, layers, history, config.
func cmdCorpus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: corpus NAME")
	}
	n := args[0]
	src := filepath.Join(ts.Getenv("STAGEDIR"), "corpus", n)
	want, err := os.ReadFile(filepath.Join(src, "want.json"))
	ts.Check(err)
	ctx := ts.MkAbs(filepath.Join("corpus", n))
	ts.Check(os.MkdirAll(filepath.Dir(ctx), 0o755))
	if out, err := exec.Command("cp", "-a", src, ctx).CombinedOutput(); err != nil {
		ts.Fatalf("copy %s: %v: %s", src, err, out)
	}
	os.Remove(filepath.Join(ctx, "want.json"))
	tag := "corpus-" + n
	ts.Check(ts.Exec("mini", "build", "-q", "-t", tag, "--build-arg", "BASE=corpus-base", ctx))
	img, base := ts.MkAbs(n+".tar"), ts.MkAbs("corpus-base.tar")
	ts.Check(ts.Exec("mini", "save", "-o", img, tag))
	if _, err := os.Stat(base); err != nil {
		ts.Check(ts.Exec("mini", "save", "-o", base, "corpus-base"))
	}
	ts.Check(ts.Exec("mini", "rmi", tag))
	facts, err := imagefacts.Compare(img, base)
	ts.Check(err)
	got, _ := json.MarshalIndent(facts, "", "  ")
	if diff := lineDiff(strings.TrimSpace(string(want)), string(got)); diff != "" {
		ts.Fatalf("%s: mini's build differs from Docker's (- Docker, + mini):\n%s", n, diff)
	}
}

// lineDiff lists the lines only one side has, in order: enough to see
// which facts differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	in := func(lines []string) map[string]int {
		m := map[string]int{}
		for _, l := range lines {
			m[l]++
		}
		return m
	}
	inW, inG := in(w), in(g)
	var out []string
	for _, l := range w {
		if inG[l] == 0 {
			out = append(out, "- "+l)
		}
	}
	for _, l := range g {
		if inW[l] == 0 {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
