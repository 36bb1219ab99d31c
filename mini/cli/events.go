// An event as events prints it, daemonless or as a daemon's client: a
// line of Docker's (time, type, action, ID, attributes), or the Engine
// API's message through a template.

package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/docker/docker/api/types/events"
)

// PrintEvent writes m: through tmpl, or as Docker's line when tmpl is nil.
func PrintEvent(w io.Writer, tmpl *template.Template, m events.Message) error {
	if tmpl != nil {
		return tmpl.Execute(w, m)
	}
	keys := make([]string, 0, len(m.Actor.Attributes))
	for k := range m.Actor.Attributes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	attrs := make([]string, len(keys))
	for i, k := range keys {
		attrs[i] = k + "=" + m.Actor.Attributes[k]
	}
	_, err := fmt.Fprintf(w, "%s %s %s %s (%s)\n", time.Unix(0, m.TimeNano).UTC().Format(time.RFC3339Nano), m.Type, m.Action, m.Actor.ID, strings.Join(attrs, ", "))
	return err
}
