// --format: Go templates over what a command lists or inspects, with the
// functions Docker's templates offer (json, join, upper, lower, ...).

package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/template"
)

// formatFuncs are Docker's template functions, those scripts use most.
var formatFuncs = template.FuncMap{
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	"join":  strings.Join,
	"split": strings.Split,
	"upper": strings.ToUpper,
	"lower": strings.ToLower,
	"title": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
	"println": fmt.Sprintln,
}

// ParseFormat reads a --format template, one line per object.
func ParseFormat(format string) (*template.Template, error) {
	tmpl, err := template.New("format").Funcs(formatFuncs).Parse(format + "\n")
	if err != nil {
		return nil, fmt.Errorf("invalid --format: %w", err)
	}
	return tmpl, nil
}
