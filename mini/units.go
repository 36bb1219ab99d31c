// Sizes and times as Docker writes them: a number with an optional unit
// b, k, m or g (powers of 1024), such as 32m or 1.5g; "3 days ago".

package main

import (
	"fmt"
	"strconv"
	"strings"
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
