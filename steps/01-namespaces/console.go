// The container's terminal.
//
// A pseudo-terminal is a pair: the master side, held by whoever plays the
// keyboard and screen, and the slave side, which the program sees as its
// terminal (/dev/pts/N). The slave must live in the container's own devpts
// instance, or the program inside would see a terminal whose name does not
// exist in its /dev (tty(1) and ttyname(3) would fail). So the child opens
// /dev/ptmx *inside* the container, keeps the slave as its stdin, stdout
// and stderr, and sends the master to the parent over a unix socket: a file
// descriptor travels between processes as an SCM_RIGHTS message. runc calls
// this socket the console socket.

package namespaces

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// socketPair makes the connected unix sockets that carry the master fd.
func socketPair() (parent, child *os.File, err error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	return os.NewFile(uintptr(fds[0]), "console-parent"), os.NewFile(uintptr(fds[1]), "console-child"), nil
}

// receiveConsole waits for the child to send the terminal's master fd.
func receiveConsole(sock *os.File) (*os.File, error) {
	buf := make([]byte, 1)
	oob := make([]byte, unix.CmsgSpace(4))
	_, oobn, _, _, err := unix.Recvmsg(int(sock.Fd()), buf, oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("receive container terminal: %w", err)
	}
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err != nil || len(msgs) != 1 {
		return nil, fmt.Errorf("container init sent no terminal")
	}
	fds, err := unix.ParseUnixRights(&msgs[0])
	if err != nil || len(fds) != 1 {
		return nil, fmt.Errorf("container init sent no terminal")
	}
	return os.NewFile(uintptr(fds[0]), "console-master"), nil
}

// setupConsole makes the terminal inside the container, makes it the
// controlling terminal and the standard streams of this process, binds it
// over /dev/console (for the container's first process, not for exec),
// and sends the master side to the parent.
func setupConsole(spec *Spec, sock *os.File, uid int, devConsole bool) error {
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open /dev/ptmx: %w", err)
	}
	defer master.Close()
	mfd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(mfd, unix.TIOCSPTLCK, 0); err != nil { // unlockpt
		return fmt.Errorf("unlock pty: %w", err)
	}
	n, err := unix.IoctlGetUint32(mfd, unix.TIOCGPTN) // ptsname: /dev/pts/N
	if err != nil {
		return fmt.Errorf("pty number: %w", err)
	}
	slavePath := fmt.Sprintf("/dev/pts/%d", n)
	slave, err := unix.Open(slavePath, unix.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", slavePath, err)
	}
	if spec.Rows > 0 && spec.Cols > 0 {
		unix.IoctlSetWinsize(slave, unix.TIOCSWINSZ, &unix.Winsize{Row: spec.Rows, Col: spec.Cols})
	}
	// The user inside owns their terminal, as after a login.
	if err := unix.Fchown(slave, uid, -1); err != nil {
		return fmt.Errorf("chown %s: %w", slavePath, err)
	}
	if devConsole {
		if err := bindConsole(slavePath); err != nil {
			return err
		}
	}
	if err := takeTerminal(slave); err != nil {
		return err
	}
	rights := unix.UnixRights(mfd)
	if err := unix.Sendmsg(int(sock.Fd()), []byte{0}, rights, nil, 0); err != nil {
		return fmt.Errorf("send terminal to mini: %w", err)
	}
	return nil
}

// takeTerminal makes fd the controlling terminal of this session (the child
// is a session leader: Setsid in start.go) and its stdin, stdout and stderr.
func takeTerminal(fd int) error {
	if err := unix.IoctlSetInt(fd, unix.TIOCSCTTY, 0); err != nil {
		return fmt.Errorf("set controlling terminal: %w", err)
	}
	for std := 0; std <= 2; std++ {
		if err := unix.Dup3(fd, std, 0); err != nil {
			return fmt.Errorf("dup terminal to fd %d: %w", std, err)
		}
	}
	if fd > 2 {
		unix.Close(fd)
	}
	return nil
}

// bindConsole makes /dev/console the container's terminal, as Docker does
// with -t.
func bindConsole(slavePath string) error {
	f, err := os.OpenFile("/dev/console", os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("create /dev/console: %w", err)
	}
	f.Close()
	if err := unix.Mount(slavePath, "/dev/console", "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind %s on /dev/console: %w", slavePath, err)
	}
	return nil
}
