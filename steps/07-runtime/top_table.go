// What docker top shows of a container's processes: ps -ef's columns,
// read from /proc for the PIDs Top finds; or, with ps options, the host's
// ps run with them and cut down to the container's lines, as dockerd
// does. The answer is the Engine API's TopResponse, which the mini command
// prints as docker's client does.

package runtime

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/docker/docker/api/types/container"
)

// TopTable is docker top of container ref, with psArgs the host's ps
// options (none: ps -ef's columns, without running ps).
func (rt *Runtime) TopTable(ref string, psArgs []string) (*container.TopResponse, error) {
	pids, err := rt.Top(ref)
	if err != nil {
		return nil, err
	}
	if len(psArgs) > 0 {
		return hostPs(psArgs, pids)
	}
	top := &container.TopResponse{Titles: []string{"UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"}, Processes: [][]string{}}
	for _, pid := range pids {
		p, err := readProc(pid)
		if err != nil {
			continue // gone meanwhile
		}
		top.Processes = append(top.Processes, []string{p.user, strconv.Itoa(pid), strconv.Itoa(p.ppid), "0", p.start, "?", p.cpu, p.cmd})
	}
	return top, nil
}

type procInfo struct {
	user, start, cpu, cmd string
	ppid                  int
}

// clockTicks is the kernel's USER_HZ, 100 on every Linux architecture Go
// runs on.
const clockTicks = 100

func readProc(pid int) (*procInfo, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	// The command name is in parentheses and may hold spaces: split after it.
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(fields) < 20 {
		return nil, fmt.Errorf("short /proc/%d/stat", pid)
	}
	p := &procInfo{}
	p.ppid, _ = strconv.Atoi(fields[1])
	utime, _ := strconv.Atoi(fields[11])
	stime, _ := strconv.Atoi(fields[12])
	p.cpu = fmtClock(time.Duration(utime+stime) * time.Second / clockTicks)
	startTicks, _ := strconv.Atoi(fields[19])
	p.start = bootTime().Add(time.Duration(startTicks) * time.Second / clockTicks).Format("15:04")
	p.user = ownerOf(pid)
	cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	p.cmd = strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " "))
	return p, nil
}

func fmtClock(d time.Duration) string {
	s := int(d.Seconds())
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// bootTime is when the host booted, from /proc/stat's btime.
func bootTime() time.Time {
	data, _ := os.ReadFile("/proc/stat")
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return time.Unix(n, 0)
		}
	}
	return time.Time{}
}

// ownerOf is the host's name for the process's user, or its UID.
func ownerOf(pid int) string {
	fi, err := os.Stat(fmt.Sprintf("/proc/%d", pid))
	if err != nil {
		return "?"
	}
	uid := fmt.Sprint(fi.Sys().(*syscall.Stat_t).Uid)
	if u, err := user.LookupId(uid); err == nil {
		return u.Username
	}
	return uid
}

// hostPs runs the host's ps with the options given and keeps the lines
// of the container's processes, found by the PID column. Each line is cut
// at the header's columns, the last taking the rest (a command's words).
func hostPs(opts []string, pids []int) (*container.TopResponse, error) {
	out, err := exec.Command("ps", opts...).Output()
	if err != nil {
		return nil, invalid("ps %s: %v", strings.Join(opts, " "), err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	top := &container.TopResponse{Titles: strings.Fields(lines[0]), Processes: [][]string{}}
	col := -1
	for i, h := range top.Titles {
		if h == "PID" {
			col = i
		}
	}
	if col < 0 {
		return nil, invalid("ps %s prints no PID column: top needs it", strings.Join(opts, " "))
	}
	in := map[string]bool{}
	for _, p := range pids {
		in[strconv.Itoa(p)] = true
	}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < len(top.Titles) || !in[f[col]] {
			continue
		}
		last := len(top.Titles) - 1
		top.Processes = append(top.Processes, append(f[:last:last], strings.Join(f[last:], " ")))
	}
	return top, nil
}
