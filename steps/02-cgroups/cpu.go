// CPU limits: shares, quotas and CPU sets, and how v1 numbers become v2's.
//
// Shares (-c) are a relative weight that only matters when CPUs are busy: a
// group with 1024 gets twice the time of one with 512. v1 counts them from 2
// to 262144 (default 1024); v2 calls them cpu.weight and counts from 1 to
// 10000 (default 100). runc maps one range linearly onto the other, and so
// does mini, so that -c means the same on both.
//
// A quota (--cpus) is a hard cap: QUOTA microseconds of CPU time in every
// PERIOD microseconds, across all CPUs. --cpus 0.5 is 50000 per 100000:
// half of one CPU; --cpus 2 is two whole CPUs' worth.
//
// A CPU set (--cpuset-cpus) says which CPUs the processes may run on at
// all; the kernel shows it in /proc/PID/status as Cpus_allowed_list.

package cgroups

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// DefaultCPUPeriod is the quota period Docker uses: 100 ms.
const DefaultCPUPeriod = 100000

// SharesToWeight converts v1 cpu.shares to v2 cpu.weight (runc's formula).
func SharesToWeight(shares uint64) uint64 {
	if shares == 0 {
		return 0
	}
	return 1 + ((shares-2)*9999)/262142
}

// CPUsToQuota converts --cpus into a quota per DefaultCPUPeriod.
func CPUsToQuota(cpus float64) (quota int64, period uint64, err error) {
	if cpus <= 0 || math.IsNaN(cpus) || math.IsInf(cpus, 0) {
		return 0, 0, fmt.Errorf("invalid --cpus %v: want a number of CPUs above 0, such as 0.5 or 2", cpus)
	}
	quota = int64(math.Round(cpus * DefaultCPUPeriod))
	if quota < 1000 { // the kernel's smallest quota is 1 ms
		return 0, 0, fmt.Errorf("invalid --cpus %v: the smallest limit is 0.01", cpus)
	}
	return quota, DefaultCPUPeriod, nil
}

// CheckCpuset makes sure a --cpuset-cpus or --cpuset-mems list is well
// formed and names only CPUs (or memory nodes) this machine has.
func CheckCpuset(flag, list, onlineFile string) error {
	want, err := parseList(list)
	if err != nil {
		return fmt.Errorf("invalid %s %q: %v (want a list such as 0-2,4)", flag, list, err)
	}
	onlineStr := "0"
	if data, err := os.ReadFile(onlineFile); err == nil {
		onlineStr = strings.TrimSpace(string(data))
	}
	online, err := parseList(onlineStr)
	if err != nil {
		return fmt.Errorf("read %s: %v", onlineFile, err)
	}
	for n := range want {
		if !online[n] {
			return fmt.Errorf("requested %s %s not available: this machine has %s", flag, list, onlineStr)
		}
	}
	return nil
}

// Online lists of CPUs and memory nodes.
const (
	OnlineCPUs  = "/sys/devices/system/cpu/online"
	OnlineNodes = "/sys/devices/system/node/online"
)

// parseList reads the kernel's list format: "0-3,5,7-8".
func parseList(s string) (map[int]bool, error) {
	set := map[int]bool{}
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("empty list")
	}
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 0 {
			return nil, fmt.Errorf("bad number %q", lo)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("bad range %q", part)
			}
		}
		for n := a; n <= b; n++ {
			set[n] = true
		}
	}
	return set, nil
}
