// Sizes and times as Docker writes them: a number with an optional unit
// b, k, m or g (powers of 1024), such as 32m or 1.5g; "3 days ago".

package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var byteUnits = map[string]int64{"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}

// parseBytes reads a size such as 512k, 32m or 2g.
func parseBytes(flag, s string) (int64, error) {
	lower := strings.ToLower(strings.TrimSpace(s))
	num := strings.TrimRight(lower, "bkmg")
	unit := strings.TrimSuffix(lower[len(num):], "b") // "32mb" is "32m"; "100b" is 100
	mult, ok := byteUnits[unit]
	f, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || f < 0 {
		return 0, fmt.Errorf("invalid %s %q: want a size such as 512k, 32m or 2g", flag, s)
	}
	return int64(f * float64(mult)), nil
}

// ago writes a time as Docker's CREATED column does: "3 days ago".
func ago(t time.Time) string { return humanDuration(time.Since(t)) + " ago" }

// humanDuration writes a duration as Docker does ("Up 5 seconds",
// "About an hour", "3 weeks").
func humanDuration(d time.Duration) string {
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
