// What execve keeps of signals, and why the init undoes it.
//
// execve(2) resets every caught signal to its default action, but keeps
// the ones that are ignored (SIG_IGN) and the blocked mask. A container
// started from a script that ignores SIGINT, or under nohup (SIGHUP), would
// inherit that through mini, its supervisor and this init: its command's
// `trap ... INT` would never fire, and Ctrl-C would never reach it. runc
// resets them too. Go itself leaves a signal ignored at start ignored, so
// the reset is made with the raw system call, just before the exec.

package namespaces

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// sigaction is the kernel's struct sigaction (amd64 and arm64 alike).
type sigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

const sigIgn = 1 // SIG_IGN; SIG_DFL is 0

// resetSignals gives every ignored signal its default action back and
// unblocks every signal on this thread, the one that calls execve.
func resetSignals() error {
	for sig := 1; sig <= 64; sig++ {
		if sig == int(unix.SIGKILL) || sig == int(unix.SIGSTOP) {
			continue
		}
		var old sigaction
		if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), 0, uintptr(unsafe.Pointer(&old)), 8, 0, 0); e != 0 {
			continue // a number the kernel does not have
		}
		if old.handler != sigIgn {
			continue // Go's handler, or the default: execve resets them
		}
		dfl := sigaction{}
		if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&dfl)), 0, 8, 0, 0); e != 0 {
			return e
		}
	}
	var none unix.Sigset_t
	return unix.PthreadSigmask(unix.SIG_SETMASK, &none, nil)
}
