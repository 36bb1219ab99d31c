// The last step: become the user's command.
//
// execve(2) replaces this process's program but keeps its PID, namespaces,
// credentials, working directory and open file descriptors. That last part
// is a danger: any descriptor still open would hand the command a piece of
// the host (runc CVE-2024-21626 leaked a directory fd of the host's cgroup
// tree, and with it the host's filesystem). So every descriptor above 2 is
// marked close-on-exec first, and the working directory is set inside the
// container just before.

package namespaces

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// DefaultPath is the PATH a container gets when nothing sets one.
const DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// lookPath finds name in the PATH of the container's environment (not
// mini's own, which os/exec.LookPath would use).
func lookPath(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	path := DefaultPath
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		candidate := filepath.Join(dir, name)
		if fi, err := os.Stat(candidate); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return candidate, nil
		}
	}
	return "", startErrorf(ExitNotFound, "exec: %q: executable file not found in $PATH", name)
}

// closeExtraFiles marks every descriptor above stderr close-on-exec.
func closeExtraFiles() error {
	err := unix.CloseRange(3, math.MaxUint32, unix.CLOSE_RANGE_CLOEXEC)
	if err == nil {
		return nil
	}
	// Kernels before 5.11: walk /proc/self/fd instead.
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return err
	}
	for _, e := range entries {
		var fd int
		if _, err := fmt.Sscan(e.Name(), &fd); err == nil && fd > 2 {
			unix.CloseOnExec(fd)
		}
	}
	return nil
}

// execCommand replaces this process with the command. It returns only on
// failure, with Docker's exit status for the reason.
func execCommand(args, env []string) error {
	path, err := lookPath(args[0], env)
	if err != nil {
		return err
	}
	if err := resetSignals(); err != nil {
		return startErrorf(ExitCannotInvoke, "reset signal dispositions: %v", err)
	}
	err = unix.Exec(path, args, env)
	switch {
	case errors.Is(err, unix.ENOENT):
		return startErrorf(ExitNotFound, "exec: %q: no such file or directory", path)
	case errors.Is(err, unix.EACCES), errors.Is(err, unix.ENOEXEC), errors.Is(err, unix.EISDIR):
		return startErrorf(ExitCannotInvoke, "exec: %q: permission denied", path)
	default:
		return startErrorf(ExitCannotInvoke, "exec %q: %v", path, err)
	}
}
