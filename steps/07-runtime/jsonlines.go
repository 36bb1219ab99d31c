// Files of JSON objects, one a line, read as they grow: the container's
// log and the events log. A line still being written when the reader
// reaches the end is kept until the rest arrives.

package runtime

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

type jsonLines struct {
	r       *bufio.Reader
	partial []byte
}

func newJSONLines(r io.Reader) *jsonLines { return &jsonLines{r: bufio.NewReader(r)} }

// next decodes the next whole line into v: io.EOF when there is none yet.
func (l *jsonLines) next(v any) error {
	line, err := l.r.ReadBytes('\n')
	l.partial = append(l.partial, line...)
	if err != nil {
		return err
	}
	data := l.partial
	l.partial = nil
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w %q: %v", errBadLine, strings.TrimSpace(string(data)), err)
	}
	return nil
}

// errBadLine is a whole line that is not the JSON expected.
var errBadLine = errors.New("unreadable line")
