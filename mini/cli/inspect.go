// inspect's output, daemonless or as a daemon's client: Docker's JSON
// array of the objects, or each through a template.

package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"text/template"
)

// PrintInspect writes Docker's JSON array, or each object through a template.
func PrintInspect(w io.Writer, objs []any, format string) error {
	if format == "" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "    ")
		return enc.Encode(objs)
	}
	tmpl, err := ParseFormat(format)
	if err != nil {
		return WithStatus(1, err)
	}
	for _, o := range objs {
		if err := executeInspect(w, tmpl, o); err != nil {
			return WithStatus(1, err)
		}
	}
	return nil
}

// executeInspect runs the template on the object, else, as docker's CLI
// does, on its JSON: {{.Id}} names a JSON key where the Go field is ID.
func executeInspect(w io.Writer, tmpl *template.Template, o any) error {
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, o); err == nil {
		_, err = w.Write(buf.Bytes())
		return err
	}
	data, err := json.Marshal(o)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // sizes print as numbers, not 6.7e+07
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	return tmpl.Execute(w, raw)
}

// PrintFormatted runs one object through a --format template (version
// and info): its Go fields, else its JSON keys, as inspect does.
func PrintFormatted(w io.Writer, format string, v any) error {
	tmpl, err := ParseFormat(format)
	if err != nil {
		return err
	}
	return executeInspect(w, tmpl, v)
}
