// images --filter, as Docker's: dangling=true|false, reference=PATTERN,
// label=KEY[=VALUE], before=IMAGE, since=IMAGE. Filters of one key are
// alternatives, but every label must be there; filters of different keys
// must all hold.

package imagecli

import (
	"fmt"
	"strings"

	"mini/mini/cli"
	"mini/steps/04-images/imagestore"
	runtime "mini/steps/07-runtime"
)

type imageFilters struct {
	dangling      *bool
	refs, labels  []string
	before, since *imagestore.Record
}

// parseImageFilters reads --filter's KEY=VALUE pairs.
func parseImageFilters(store *imagestore.Store, specs []string) (*imageFilters, error) {
	f := &imageFilters{}
	for _, s := range specs {
		key, value, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("invalid filter %q: want KEY=VALUE", s)
		}
		switch key {
		case "dangling":
			if value != "true" && value != "false" {
				return nil, fmt.Errorf("invalid filter 'dangling=%s': want true or false", value)
			}
			d := value == "true"
			f.dangling = &d
		case "reference":
			f.refs = append(f.refs, value)
		case "label":
			f.labels = append(f.labels, value)
		case "before", "since":
			rec, err := store.Lookup(value)
			if err != nil {
				return nil, fmt.Errorf("invalid filter '%s=%s': no such image", key, value)
			}
			if key == "before" {
				f.before = rec
			} else {
				f.since = rec
			}
		default:
			return nil, fmt.Errorf("invalid filter '%s': images takes dangling, reference, label, before and since", key)
		}
	}
	return f, nil
}

// keepImage says whether the image passes the filters that concern it
// whole (reference is judged by name, in keepRow).
func (f *imageFilters) keepImage(store *imagestore.Store, r *imagestore.Record) bool {
	if f.dangling != nil && (len(r.RepoTags) == 0) != *f.dangling {
		return false
	}
	if f.before != nil && !r.Created.Before(f.before.Created) {
		return false
	}
	if f.since != nil && !r.Created.After(f.since.Created) {
		return false
	}
	if len(f.labels) == 0 {
		return true
	}
	var cfg struct {
		Config struct{ Labels map[string]string } `json:"config"`
	}
	if runtime.DecodeImageConfig(store, r, &cfg) != nil {
		return false
	}
	for _, l := range f.labels { // every label asked for, as Docker's
		k, v, hasValue := strings.Cut(l, "=")
		if got, ok := cfg.Config.Labels[k]; !ok || hasValue && got != v {
			return false
		}
	}
	return true
}

// keepRow says whether a name of an image passes the reference filters.
func (f *imageFilters) keepRow(row cli.ImageRow) bool {
	if len(f.refs) == 0 {
		return true
	}
	for _, ref := range f.refs {
		if matchesRef(row, ref) {
			return true
		}
	}
	return false
}
