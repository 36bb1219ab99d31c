// --log-opt: how the container's json-file log is kept. mini has Docker's
// json-file options for rotation, max-size (a size such as 10m, in
// Docker's decimal units) and max-file (how many files in all).

package runtime

import (
	"strconv"
	"strings"

	"github.com/docker/go-units"

	"mini/steps/07-runtime/supervisor"
)

// logOptions reads --log-opt's KEY=VALUE entries, with Docker's checks
// and words; nil when there are none.
func logOptions(opts []string) (*supervisor.LogOptions, map[string]string, error) {
	if len(opts) == 0 {
		return nil, nil, nil
	}
	given := map[string]string{}
	for _, o := range opts {
		k, v, ok := strings.Cut(o, "=")
		if !ok || k == "" {
			return nil, nil, invalid("invalid --log-opt %q: want KEY=VALUE, such as max-size=10m", o)
		}
		if k != "max-size" && k != "max-file" {
			return nil, nil, invalid("unknown log opt '%s' for json-file log driver (mini has max-size and max-file)", k)
		}
		given[k] = v
	}
	lo := &supervisor.LogOptions{MaxFile: 1}
	if v, ok := given["max-size"]; ok {
		size, err := units.FromHumanSize(v)
		if err != nil || size <= 0 {
			return nil, nil, invalid("invalid --log-opt max-size=%s: want a positive size, such as 10m", v)
		}
		lo.MaxSize = size
	}
	if v, ok := given["max-file"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, nil, invalid("invalid --log-opt max-file=%s: max-file cannot be less than 1", v)
		}
		lo.MaxFile = n
	}
	return lo, given, nil
}
