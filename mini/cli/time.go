// How mini prints times, durations and sizes, as Docker does: "3 minutes
// ago", "Up 5 seconds", "1.5MiB"; and whether output goes to a terminal.

package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	runtime "mini/steps/07-runtime"
)

// Ago writes a time as Docker's CREATED column does: "3 days ago".
func Ago(t time.Time) string { return runtime.HumanDuration(time.Since(t)) + " ago" }

// LocalTime writes a time as docker/cli's CREATED AT columns do: to the
// second, in the local zone, "2026-12-07 23:03:45 +0000 UTC".
func LocalTime(t time.Time) string { return time.Unix(t.Unix(), 0).String() }

// IsTerminal says whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// HumanSize divides n by base while it can and names the unit.
func HumanSize(f, base float64, units []string, format string) string {
	i := 0
	for f >= base && i < len(units)-1 {
		f /= base
		i++
	}
	s := fmt.Sprintf(format, f)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + units[i]
}

// BinarySize writes a size in binary units, as Docker's stats do: 1.5MiB.
func BinarySize(n uint64) string {
	return HumanSize(float64(n), 1024, []string{"B", "KiB", "MiB", "GiB", "TiB"}, "%.2f")
}

// DecimalSize writes a size in Docker's decimal units: 4.26MB.
func DecimalSize(n int64) string {
	return HumanSize(float64(n), 1000, []string{"B", "kB", "MB", "GB", "TB"}, "%.3g")
}

// ParseTimes reads --since and --until.
func ParseTimes(since, until string) (time.Time, time.Time, error) {
	s, err := ParseTime(since)
	if err != nil {
		return s, s, err
	}
	u, err := ParseTime(until)
	return s, u, err
}

// ParseTime reads --since and --until: RFC 3339, a Unix time, or a
// duration before now.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return time.Now().Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Unix(0, int64(secs*1e9)), nil
	}
	return time.Time{}, fmt.Errorf("invalid time %q: want 2006-01-02T15:04:05Z, a Unix time, or a duration such as 10m", s)
}
