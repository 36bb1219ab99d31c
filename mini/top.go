// mini top: a container's processes as the host sees them (the runtime's
// Top); with ps options, the host's ps prints them, as Docker does.

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"mini/mini/cli"

	"github.com/spf13/cobra"
)

func newTopCommand(g *cli.Options) *cobra.Command {
	cmd := &cobra.Command{
		Use: "top CONTAINER [ps OPTIONS]", Short: "Display the running processes of a container", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pids, err := cli.Runtime(g.Root).Top(args[0])
			if err != nil {
				return cli.WithStatus(1, err)
			}
			if len(args) > 1 {
				return cli.Failed(hostPs(cmd.OutOrStdout(), args[1:], pids))
			}
			return cli.Failed(printTop(cmd.OutOrStdout(), pids))
		},
	}
	cmd.Flags().SetInterspersed(false)
	return cmd
}

// printTop prints ps -ef's columns for pids, read from /proc.
func printTop(w io.Writer, pids []int) error {
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	fmt.Fprintln(tw, "UID\tPID\tPPID\tC\tSTIME\tTTY\tTIME\tCMD")
	for _, pid := range pids {
		p, err := readProc(pid)
		if err != nil {
			continue // gone meanwhile
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t0\t%s\t?\t%s\t%s\n", p.user, pid, p.ppid, p.start, p.cpu, p.cmd)
	}
	return tw.Flush()
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

// hostPs runs the host's ps with the options given and keeps the header
// and the lines of the container's processes, found by the PID column.
func hostPs(w io.Writer, opts []string, pids []int) error {
	out, err := exec.Command("ps", opts...).Output()
	if err != nil {
		return fmt.Errorf("ps %s: %v", strings.Join(opts, " "), err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	col := -1
	for i, h := range strings.Fields(lines[0]) {
		if h == "PID" {
			col = i
		}
	}
	if col < 0 {
		return fmt.Errorf("ps %s prints no PID column: mini top needs it", strings.Join(opts, " "))
	}
	in := map[string]bool{}
	for _, p := range pids {
		in[strconv.Itoa(p)] = true
	}
	fmt.Fprintln(w, lines[0])
	for _, l := range lines[1:] {
		if f := strings.Fields(l); len(f) > col && in[f[col]] {
			fmt.Fprintln(w, l)
		}
	}
	return nil
}
