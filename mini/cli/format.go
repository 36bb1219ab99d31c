// --format: Go templates over what a command lists or inspects, read by
// docker/cli's rules, so a script written for docker works with mini:
//
//	(none), table   Docker's default table for the command
//	table TEMPLATE  a header, then one aligned line per object
//	json            one JSON object per line
//	TEMPLATE        one line per object, no header
//
// "\t" and "\n" written in the flag become a tab and a newline. The
// template functions (json, join, split, upper, lower, title, pad,
// truncate) are docker/cli's own package, and the aligned columns its
// tabwriter: how a table is printed is not what mini teaches.

package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/docker/cli/cli/command/formatter/tabwriter"
	"github.com/docker/cli/templates"
)

// ParseFormat reads a --format template, one line per object. "json"
// alone is the object as JSON.
func ParseFormat(format string) (*template.Template, error) {
	if format == "json" {
		format = "{{json .}}"
	}
	tmpl, err := templates.Parse(expandEscapes(format) + "\n")
	if err != nil {
		return nil, fmt.Errorf("invalid --format: %w", err)
	}
	return tmpl, nil
}

// expandEscapes turns the two escapes docker/cli knows, \t and \n, into
// the characters, as a shell's single quotes leave them written.
func expandEscapes(format string) string {
	return strings.NewReplacer(`\t`, "\t", `\n`, "\n").Replace(format)
}

// A Listing is how a command lists its objects: Docker's default table,
// the -q form and the header of each field a template can name.
type Listing struct {
	Table   string            // "table {{.ID}}\t{{.Image}}…"
	Quiet   string            // "{{.ID}}"
	Headers map[string]string // "ID": "CONTAINER ID"
}

// Print writes rows as format asks, by the rules at the top of this file.
// quiet asks for the Quiet form unless a template of one's own is given
// (docker/cli's order).
func Print[R any](w io.Writer, l Listing, format string, quiet bool, rows []R) error {
	switch {
	case (format == "" || format == "table") && quiet:
		format = l.Quiet
	case format == "" || format == "table":
		format = l.Table
	}
	table := strings.HasPrefix(format, "table")
	if table {
		format = strings.TrimPrefix(format, "table")
	}
	tmpl, err := ParseFormat(strings.Trim(format, " "))
	if err != nil {
		return err
	}
	var body bytes.Buffer
	for _, r := range rows {
		if err := tmpl.Execute(&body, r); err != nil {
			return fmt.Errorf("invalid --format: %w", err)
		}
	}
	if !table {
		_, err = body.WriteTo(w)
		return err
	}
	// The header is the same template run over the header names, with
	// functions that leave a name as it is (upper of "NAMES" is NAMES).
	tw := tabwriter.NewWriter(w, 10, 1, 3, ' ', 0)
	if err := tmpl.Funcs(templates.HeaderFunctions).Execute(tw, l.Headers); err != nil {
		return fmt.Errorf("invalid --format: %w", err)
	}
	if _, err := body.WriteTo(tw); err != nil {
		return err
	}
	return tw.Flush()
}
