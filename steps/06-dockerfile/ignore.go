// .dockerignore: what of the build context COPY and ADD leave out.

package dockerfile

import (
	"bufio"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// ReadIgnore reads the patterns of the context's .dockerignore (none if
// it has none).
func ReadIgnore(dir string) []string {
	f, err := os.Open(filepath.Join(dir, ".dockerignore"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var pats []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if p := strings.TrimSpace(sc.Text()); p != "" && !strings.HasPrefix(p, "#") {
			pats = append(pats, p)
		}
	}
	return pats
}

// ignored says whether .dockerignore's patterns leave out p (a path in
// root), as Docker reads them: each pattern matches the path relative to
// the context or one of its parents; "*" and "?" stay within a name, "**"
// spans any number of them; a pattern starting with "!" brings back what
// an earlier one left out, and the last pattern that matches decides.
func ignored(root, p string, patterns []string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return false
	}
	rel = filepath.ToSlash(rel)
	out := false
	for _, pat := range patterns {
		exclude := !strings.HasPrefix(pat, "!")
		re := patternRegexp(strings.TrimPrefix(pat, "!"))
		for dir := rel; dir != "." && dir != "/"; dir = path.Dir(dir) {
			if re.MatchString(dir) {
				out = exclude
				break
			}
		}
	}
	return out
}

// patternRegexp turns a .dockerignore pattern into a regular expression.
func patternRegexp(pat string) *regexp.Regexp {
	pat = strings.TrimPrefix(path.Clean("/"+strings.TrimSpace(pat)), "/")
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pat); i++ {
		switch c := pat[i]; {
		case c == '*' && i+1 < len(pat) && pat[i+1] == '*':
			b.WriteString(".*")
			i++
			if i+1 < len(pat) && pat[i+1] == '/' { // "**/" also matches nothing
				b.WriteString("/?")
				i++
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// notIgnored drops the sources .dockerignore leaves out. A directory it
// leaves out stays when an exception ("!") may bring back something in
// it: the walk then decides entry by entry.
func notIgnored(root string, srcs, patterns []string) []string {
	exceptions := hasExceptions(patterns)
	var out []string
	for _, s := range srcs {
		if !ignored(root, s, patterns) {
			out = append(out, s)
		} else if fi, err := os.Lstat(s); err == nil && fi.IsDir() && exceptions {
			out = append(out, s)
		}
	}
	return out
}

// hasExceptions says whether a pattern brings something back ("!").
func hasExceptions(patterns []string) bool {
	for _, p := range patterns {
		if strings.HasPrefix(p, "!") {
			return true
		}
	}
	return false
}
