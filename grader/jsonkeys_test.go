package grader

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdJsonkeys prints the key paths of the first object of a JSON array
// (docker inspect's output), one a line, sorted: Config.Env, State.Pid...
// The keys of maps whose keys are data (networks, labels, ports) are left
// out: they differ between any two containers.
func cmdJsonkeys(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: jsonkeys FILE")
	}
	var objs []map[string]any
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[0])), &objs))
	if len(objs) == 0 {
		ts.Fatalf("jsonkeys: %s holds no object", args[0])
	}
	var keys []string
	var walk func(prefix string, o map[string]any)
	walk = func(prefix string, o map[string]any) {
		for k, v := range o {
			keys = append(keys, prefix+k)
			if m, ok := v.(map[string]any); ok && !dataKeyed[k] {
				walk(prefix+k+".", m)
			}
		}
	}
	walk("", objs[0])
	sort.Strings(keys)
	ts.Stdout().Write([]byte(strings.Join(keys, "\n") + "\n"))
}

// dataKeyed are the maps whose keys are data, not field names.
var dataKeyed = map[string]bool{"Networks": true, "Labels": true, "Ports": true, "ExposedPorts": true,
	"Volumes": true, "Data": true, "PortBindings": true}
