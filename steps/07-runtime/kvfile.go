// Files of KEY=VALUE lines, as --env-file and --label-file take them:
// blank lines and lines starting with # are skipped, a KEY alone is kept.

package runtime

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// readKVFile returns the file's KEY=VALUE (or KEY) lines.
func readKVFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // names the path
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimLeft(sc.Text(), " \t")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		lines = append(lines, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return lines, nil
}

// containerLabels are the image's labels, then --label-file's in order,
// then --label's, a later KEY replacing an earlier one; a KEY alone has
// the empty value (Docker's rules).
func containerLabels(image map[string]string, files, labels []string) (map[string]string, error) {
	var all []string
	for _, file := range files {
		lines, err := readKVFile(file)
		if err != nil {
			return nil, invalid("read the label file: %v", err)
		}
		all = append(all, lines...)
	}
	out := map[string]string{}
	for k, v := range image {
		out[k] = v
	}
	for _, kv := range append(all, labels...) {
		k, v, _ := strings.Cut(kv, "=")
		if k == "" {
			return nil, invalid("invalid label %q: want KEY=VALUE", kv)
		}
		out[k] = v
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}
