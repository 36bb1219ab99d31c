// How mini prints times, durations and sizes, as Docker does: "3 minutes
// ago", "Up 5 seconds", "1.5MiB"; and whether output goes to a terminal.

package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// Ago writes a time as Docker's CREATED column does: "3 days ago".
func Ago(t time.Time) string { return HumanDuration(time.Since(t)) + " ago" }

// LocalTime writes a time as docker/cli's CREATED AT columns do: to the
// second, in the local zone, "2026-12-07 23:03:45 +0000 UTC".
func LocalTime(t time.Time) string { return time.Unix(t.Unix(), 0).String() }

// HumanDuration writes a duration as Docker does ("Up 5 seconds",
// "About an hour", "3 weeks").
func HumanDuration(d time.Duration) string {
	s := int(d.Seconds())
	switch {
	case s < 1:
		return "Less than a second"
	case s == 1:
		return "1 second"
	case s < 60:
		return fmt.Sprintf("%d seconds", s)
	case d.Minutes() < 2:
		return "About a minute"
	case d.Minutes() < 60:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	case d.Hours() < 2:
		return "About an hour"
	case d.Hours() < 48:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	case d.Hours() < 24*7*2:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d.Hours() < 24*30*2:
		return fmt.Sprintf("%d weeks", int(d.Hours()/24/7))
	case d.Hours() < 24*365*2:
		return fmt.Sprintf("%d months", int(d.Hours()/24/30))
	}
	return fmt.Sprintf("%d years", int(d.Hours()/24/365))
}

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

// DecimalSize writes a size in Docker's decimal units: 4.26MB.
func DecimalSize(n int64) string {
	return HumanSize(float64(n), 1000, []string{"B", "kB", "MB", "GB", "TB"}, "%.3g")
}
