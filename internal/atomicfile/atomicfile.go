// Package atomicfile writes files so that no reader ever sees half of one:
// the content goes to a temporary file beside the target, which is renamed
// over it only when complete. rename(2) within a directory is atomic; a
// writer killed midway leaves only the temporary file, named after the
// writer's PID so that the next mini can tell it is stale.
package atomicfile

import (
	"fmt"
	"io"
	"os"
)

// Write makes path hold what write writes, all or nothing.
func Write(path string, write func(io.Writer) error) error {
	tmp := fmt.Sprintf("%s.tmp-%d-", path, os.Getpid())
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
