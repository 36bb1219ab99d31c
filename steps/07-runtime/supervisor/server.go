// The supervisor's socket and its clients: every attached mini gets the
// container's output as frames, and may send input, terminal sizes and
// signals.

package supervisor

import (
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"mini/steps/07-runtime/store"

	"golang.org/x/sys/unix"
)

// writeTimeout drops a client that stops reading: one stuck terminal must
// not stop the container's output, nor its log.
const writeTimeout = 10 * time.Second

// hub holds the attached clients.
type hub struct {
	mu      sync.Mutex
	clients map[*client]struct{}
	s       *Supervisor
}

type client struct {
	conn  net.Conn
	wmu   sync.Mutex
	first bool // the CLI that started the supervisor: --rm's and -i's owner
}

func newHub(s *Supervisor) *hub { return &hub{clients: map[*client]struct{}{}, s: s} }

// add starts serving conn.
func (h *hub) add(conn net.Conn, first bool) {
	c := &client{conn: conn, first: first}
	h.mu.Lock()
	h.clients[c] = struct{}{}
	h.mu.Unlock()
	go h.read(c)
}

// serve accepts clients until l is closed.
func (h *hub) serve(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		h.add(conn, false)
	}
}

// read handles what one client sends, until it goes away.
func (h *hub) read(c *client) {
	defer h.drop(c)
	for {
		kind, payload, err := ReadFrame(c.conn)
		if err != nil {
			if c.first {
				h.s.inputEnded(c) // a CLI gone counts as input ended
			}
			return
		}
		h.s.control(c, kind, payload)
	}
}

// broadcast sends a frame to every client, dropping those that fail.
func (h *hub) broadcast(kind byte, payload []byte) {
	h.mu.Lock()
	clients := make([]*client, 0, len(h.clients))
	for c := range h.clients {
		clients = append(clients, c)
	}
	h.mu.Unlock()
	for _, c := range clients {
		if err := c.send(kind, payload); err != nil {
			h.drop(c)
		}
	}
}

func (c *client) send(kind byte, payload []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return WriteFrame(c.conn, kind, payload)
}

func (h *hub) drop(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
	c.conn.Close()
}

// closeAll ends every client's connection.
func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		c.conn.Close()
		delete(h.clients, c)
	}
}

// socketPath names a file in dir through an open descriptor of dir: a unix
// socket's path is limited to 107 bytes, and a state root can be longer
// than that; /proc/self/fd/N/name never is.
func socketPath(dir store.Dir) (path string, d *os.File, err error) {
	d, err = os.OpenFile(string(dir), unix.O_PATH|unix.O_DIRECTORY, 0)
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("/proc/self/fd/%d/%s", d.Fd(), store.SocketName), d, nil
}

// listen makes the container's attach socket. The returned function
// closes and removes it.
func listen(dir store.Dir) (net.Listener, func(), error) {
	path, d, err := socketPath(dir)
	if err != nil {
		return nil, nil, err
	}
	unix.Unlinkat(int(d.Fd()), store.SocketName, 0) // left by a killed supervisor
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		d.Close()
		return nil, nil, fmt.Errorf("attach socket in %s: %w", dir, err)
	}
	l.SetUnlinkOnClose(false)
	return l, func() {
		l.Close()
		unix.Unlinkat(int(d.Fd()), store.SocketName, 0)
		d.Close()
	}, nil
}

// Dial connects to a running container's supervisor.
func Dial(dir store.Dir) (net.Conn, error) {
	path, d, err := socketPath(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return net.Dial("unix", path)
}
