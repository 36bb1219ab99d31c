// Command syscalls tries system calls and says, for each, whether a
// seccomp filter stopped it: the probe of 01-namespaces/seccomp.
//
// Each call is made with arguments the kernel itself rejects early, with
// an error other than EPERM (a bad pointer, a bad flag, a closed
// descriptor), or that do no harm when they succeed. So a call that
// reaches the kernel never answers EPERM, and EPERM means the filter
// refused it. Each line is "NAME blocked" (EPERM), "NAME nosys" (ENOSYS)
// or "NAME reached" (anything else, success included):
//
//	syscalls [NAME...]   (no names: every call it knows)
package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	bad     = 1          // a pointer the kernel cannot read
	badFlag = 0x40000000 // a flag no call takes
)

// calls are the calls tried, each with its arguments.
var calls = map[string]func() unix.Errno{
	// Refused by Docker's default profile.
	"keyctl":          func() unix.Errno { return sys(unix.SYS_KEYCTL, 0xdead) },
	"add_key":         func() unix.Errno { return sys(unix.SYS_ADD_KEY, bad, bad, 0, 0, 0) },
	"request_key":     func() unix.Errno { return sys(unix.SYS_REQUEST_KEY, bad, bad, 0, 0) },
	"perf_event_open": func() unix.Errno { return sys(unix.SYS_PERF_EVENT_OPEN, bad, 0, ^uintptr(0), ^uintptr(0), 0) },
	"unshare":         func() unix.Errno { return sys(unix.SYS_UNSHARE, 1) }, // a signal number: no unshare flag
	"mount":           func() unix.Errno { return sys(unix.SYS_MOUNT, bad, bad, bad, 0, 0) },
	"umount2":         func() unix.Errno { return sys(unix.SYS_UMOUNT2, bad, badFlag) },
	"setns":           func() unix.Errno { return sys(unix.SYS_SETNS, ^uintptr(0), 0) },
	"settimeofday":    func() unix.Errno { return sys(unix.SYS_SETTIMEOFDAY, bad, 0) },
	"clock_settime":   func() unix.Errno { return sys(unix.SYS_CLOCK_SETTIME, unix.CLOCK_REALTIME, bad) },
	"mbind":           func() unix.Errno { return sys(unix.SYS_MBIND, 0, 0, 100, 0, 0, 0) },
	"set_mempolicy":   func() unix.Errno { return sys(unix.SYS_SET_MEMPOLICY, 100, 0, 0) },
	"get_mempolicy":   func() unix.Errno { return sys(unix.SYS_GET_MEMPOLICY, 0, 0, 0, 0, badFlag) },
	"mount_setattr":   func() unix.Errno { return sys(unix.SYS_MOUNT_SETATTR, ^uintptr(0), 0, badFlag, 0, 0) },
	"open_tree":       func() unix.Errno { return sys(unix.SYS_OPEN_TREE, ^uintptr(0), bad, badFlag) },
	"fsconfig":        func() unix.Errno { return sys(unix.SYS_FSCONFIG, ^uintptr(0), 99, 0, 0, 0) },
	"io_uring_setup":  func() unix.Errno { return sys(unix.SYS_IO_URING_SETUP, 0, bad) },
	"io_uring_enter":  func() unix.Errno { return sys(unix.SYS_IO_URING_ENTER, ^uintptr(0), 0, 0, badFlag, 0, 0) },
	"userfaultfd":     func() unix.Errno { return sys(unix.SYS_USERFAULTFD, 1|badFlag) }, // UFFD_USER_MODE_ONLY: no capability asked
	"quotactl":        func() unix.Errno { return sys(unix.SYS_QUOTACTL, 0xffffffff, bad, 0, 0) },
	"personality(1)":  func() unix.Errno { return sys(unix.SYS_PERSONALITY, 1) },
	// CLONE_NEWUSER with CLONE_FS is invalid: the kernel says EINVAL.
	"clone(CLONE_NEWUSER)": func() unix.Errno { return sys(unix.SYS_CLONE, unix.CLONE_NEWUSER|unix.CLONE_FS) },
	"socket(AF_VSOCK)":     func() unix.Errno { return closeFd(unix.SYS_SOCKET, unix.AF_VSOCK, unix.SOCK_STREAM, 0) },
	"clone3":               func() unix.Errno { return sys(unix.SYS_CLONE3, 0, 0) },

	// Allowed by it.
	"getpid":                  func() unix.Errno { return sys(unix.SYS_GETPID) },
	"getuid":                  func() unix.Errno { return sys(unix.SYS_GETUID) },
	"read":                    func() unix.Errno { return sys(unix.SYS_READ, ^uintptr(0), 0, 0) },
	"write":                   func() unix.Errno { return sys(unix.SYS_WRITE, ^uintptr(0), 0, 0) },
	"close":                   func() unix.Errno { return sys(unix.SYS_CLOSE, ^uintptr(0)) },
	"openat":                  func() unix.Errno { return openRoot() },
	"fstat":                   func() unix.Errno { return sys(unix.SYS_FSTAT, ^uintptr(0), bad) },
	"dup":                     func() unix.Errno { return sys(unix.SYS_DUP, ^uintptr(0)) },
	"ioctl":                   func() unix.Errno { return sys(unix.SYS_IOCTL, ^uintptr(0), 0, 0) },
	"pipe2":                   func() unix.Errno { return sys(unix.SYS_PIPE2, bad, badFlag) },
	"brk":                     func() unix.Errno { return sys(unix.SYS_BRK, 0) },
	"uname":                   func() unix.Errno { return sys(unix.SYS_UNAME, bad) },
	"chdir":                   func() unix.Errno { return sys(unix.SYS_CHDIR, bad) },
	"getcwd":                  func() unix.Errno { return sys(unix.SYS_GETCWD, 0, 0) },
	"rt_sigprocmask":          func() unix.Errno { return sys(unix.SYS_RT_SIGPROCMASK, 99, 0, 0, 8) },
	"capget":                  func() unix.Errno { return sys(unix.SYS_CAPGET, bad, bad) },
	"prctl":                   func() unix.Errno { return sys(unix.SYS_PRCTL, unix.PR_GET_DUMPABLE) },
	"kill":                    func() unix.Errno { return sys(unix.SYS_KILL, 0x7ffffff0, 0) },
	"getrandom":               func() unix.Errno { return sys(unix.SYS_GETRANDOM, 0, 0, 0) },
	"epoll_create1":           func() unix.Errno { return sys(unix.SYS_EPOLL_CREATE1, badFlag) },
	"eventfd2":                func() unix.Errno { return sys(unix.SYS_EVENTFD2, 0, badFlag) },
	"chroot":                  func() unix.Errno { return sys(unix.SYS_CHROOT, bad) },
	"ptrace":                  func() unix.Errno { return sys(unix.SYS_PTRACE, 0x4321, 0x7ffffff0, 0, 0) },
	"personality(0xffffffff)": func() unix.Errno { return sys(unix.SYS_PERSONALITY, 0xffffffff) },
	"clone(CLONE_THREAD)":     func() unix.Errno { return sys(unix.SYS_CLONE, unix.CLONE_THREAD) },
	"socket(AF_INET)":         func() unix.Errno { return closeFd(unix.SYS_SOCKET, unix.AF_INET, unix.SOCK_DGRAM, 0) },
	"socket(AF_UNIX)":         func() unix.Errno { return closeFd(unix.SYS_SOCKET, unix.AF_UNIX, unix.SOCK_STREAM, 0) },
}

func main() {
	names := os.Args[1:]
	if len(names) == 0 {
		for name := range calls {
			names = append(names, name)
		}
		sort.Strings(names)
	}
	for _, name := range names {
		call, ok := calls[name]
		if !ok {
			fmt.Fprintf(os.Stderr, "syscalls: no call %q\n", name)
			os.Exit(2)
		}
		fmt.Println(name, verdict(call()))
	}
}

func verdict(e unix.Errno) string {
	switch {
	case errors.Is(e, unix.EPERM):
		return "blocked"
	case errors.Is(e, unix.ENOSYS):
		return "nosys"
	}
	return "reached"
}

func sys(nr uintptr, args ...uintptr) unix.Errno {
	var a [6]uintptr
	copy(a[:], args)
	_, _, e := unix.Syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5])
	return e
}

// closeFd makes a call that returns a descriptor, and closes it.
func closeFd(nr uintptr, args ...uintptr) unix.Errno {
	var a [6]uintptr
	copy(a[:], args)
	fd, _, e := unix.Syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5])
	if e == 0 {
		unix.Close(int(fd))
	}
	return e
}

func openRoot() unix.Errno {
	root := []byte("/\x00")
	cwd := unix.AT_FDCWD // a negative number: a variable, to convert
	return closeFd(unix.SYS_OPENAT, uintptr(cwd), uintptr(unsafe.Pointer(&root[0])), unix.O_RDONLY)
}
