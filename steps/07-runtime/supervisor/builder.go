// A build's RUN containers, tied to the mini build that runs them.
//
// Docker's builder lives in the daemon: when a client goes away, the
// daemon cancels the build and removes its container. mini has no daemon:
// the build is the mini build process itself, and a RUN container's
// supervisor outlives it. So a RUN container's job names that process
// (Builder: its PID and its start time, which together name one process
// for good, though PIDs are reused), and the supervisor watches it through
// a pidfd, which the kernel makes readable when the process exits. If the
// build dies while the RUN runs, the supervisor kills the container and
// removes it, as --rm would. A build that dies after the RUN has ended,
// while it takes the layer, leaves a stopped container, which the next
// build removes (runtime's RemoveOrphanedBuilds).

package supervisor

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Process names one process for good: its PID and its start time.
type Process struct {
	PID   int    `json:"pid"`
	Start uint64 `json:"start"` // /proc/PID/stat's starttime, in clock ticks since boot
}

// Self is the calling process.
func Self() *Process {
	start, _ := startTime(os.Getpid())
	return &Process{PID: os.Getpid(), Start: start}
}

// Alive says whether the process still runs: its PID is taken, by a
// process started at the same moment.
func (p *Process) Alive() bool {
	start, err := startTime(p.PID)
	return err == nil && start == p.Start
}

// startTime reads a process's start time: the 22nd field of
// /proc/PID/stat, counted after the command's name, which may hold spaces
// and parentheses and so ends at the last ')'.
func startTime(pid int) (uint64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	i := strings.LastIndexByte(string(data), ')')
	fields := strings.Fields(string(data[i+1:]))
	if i < 0 || len(fields) < 20 {
		return 0, fmt.Errorf("/proc/%d/stat: too short", pid)
	}
	return strconv.ParseUint(fields[19], 10, 64) // field 22; fields[0] is field 3
}

// watchBuilder waits for the build that runs this container to end, and
// then, if the container still runs, kills it and has it removed. It
// returns at once for a container no build runs.
func (s *Supervisor) watchBuilder() {
	b := s.job.Builder
	if b == nil {
		return
	}
	fd, err := unix.PidfdOpen(b.PID, 0)
	if err == nil {
		defer unix.Close(fd)
		if b.Alive() { // the PID is still the build's: wait on the pidfd
			pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
			for {
				if _, err := unix.Poll(pfd, -1); err != unix.EINTR {
					break
				}
			}
		}
	} else if err != unix.ESRCH {
		return // no pidfd (a kernel before 5.3): the next build removes it
	}
	s.mu.Lock()
	s.orphaned = true
	s.mu.Unlock()
	s.stop(syscall.SIGKILL)
	s.signal(syscall.SIGKILL)
}

// isOrphaned says whether the build that ran the container is gone.
func (s *Supervisor) isOrphaned() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.orphaned
}
