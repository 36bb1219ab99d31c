package dockerfile

import "testing"

func TestIgnoredMatchesPathsAndTheirParents(t *testing.T) {
	pats := []string{"secret.txt", "build/", "*.log", "**/*.tmp", "docs", "!docs/keep.md"}
	for p, want := range map[string]bool{
		"/ctx/secret.txt":     true,
		"/ctx/build/out/a.o":  true,
		"/ctx/app.log":        true,
		"/ctx/src/app.log":    false, // *.log is for the top, as in Docker
		"/ctx/src/main.go":    false,
		"/ctx/a/b/c.tmp":      true,
		"/ctx/c.tmp":          true,
		"/ctx/docs/notes.md":  true,
		"/ctx/docs/keep.md":   false,
		"/ctx":                false,
		"/elsewhere/file.txt": false,
	} {
		if got := ignored("/ctx", p, pats); got != want {
			t.Errorf("ignored(%s) = %v, want %v", p, got, want)
		}
	}
}

func TestExpandReadsVariablesAsADockerfileDoes(t *testing.T) {
	env := map[string]string{"A": "1", "B": "two"}
	for in, want := range map[string]string{"$A": "1", "${B}x": "twox", "${C:-def}": "def", `\$A`: "$A"} {
		if got, _, err := expand(in, env); err != nil || got != want {
			t.Errorf("expand(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
