// The attach protocol: what crosses the supervisor's unix socket.
//
// Everything is a frame: an 8-byte header, then the payload. The header is
// Docker's attach stream header (the kind in the first byte, three zero
// bytes, the payload's length as a big-endian uint32), so the container's
// output arrives exactly as `docker attach` multiplexes it; mini adds kinds
// for what a Docker client sends through other API calls.

package supervisor

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
)

// Frame kinds. 0, 1 and 2 are Docker's stream numbers.
const (
	FrameStdin      byte = 0  // client: input for the container
	FrameStdout     byte = 1  // supervisor: the container's stdout (or terminal)
	FrameStderr     byte = 2  // supervisor: the container's stderr
	FrameCloseStdin byte = 3  // client: my input has ended
	FrameResize     byte = 4  // client: rows and columns, two big-endian uint16
	FrameSignal     byte = 5  // client: a signal number, big-endian uint32
	FrameStop       byte = 6  // client: a signal, and do not restart (stop, kill)
	FrameJob        byte = 7  // CLI, to a new supervisor: the Job
	FrameStarted    byte = 8  // supervisor: a Report, once the first start is done
	FrameExit       byte = 9  // supervisor: a Report, when the container is gone
	FramePrepare    byte = 10 // CLI, to a new supervisor, before the Job: a Prepare (early.go)
)

// maxFrame bounds a payload: a frame is read whole into memory.
const maxFrame = 16 << 20

// Report is the payload of FrameStarted and FrameExit.
type Report struct {
	Pid       int    `json:"pid,omitempty"`
	ExitCode  int    `json:"exit_code"`
	OOMKilled bool   `json:"oom_killed,omitempty"`
	Error     string `json:"error,omitempty"` // the start failed: why
}

// WriteFrame writes one frame.
func WriteFrame(w io.Writer, kind byte, payload []byte) error {
	buf := make([]byte, 8+len(payload))
	buf[0] = kind
	binary.BigEndian.PutUint32(buf[4:8], uint32(len(payload)))
	copy(buf[8:], payload)
	_, err := w.Write(buf)
	return err
}

// WriteJSON writes a frame whose payload is v as JSON.
func WriteJSON(w io.Writer, kind byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return WriteFrame(w, kind, data)
}

// ReadFrame reads one frame.
func ReadFrame(r io.Reader) (kind byte, payload []byte, err error) {
	var hdr [8]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[4:8])
	if n > maxFrame {
		return 0, nil, fmt.Errorf("attach frame of %d bytes: more than %d", n, maxFrame)
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	return hdr[0], payload, nil
}

// ResizePayload and SignalPayload encode the small control frames.
func ResizePayload(rows, cols uint16) []byte {
	b := make([]byte, 4)
	binary.BigEndian.PutUint16(b[0:2], rows)
	binary.BigEndian.PutUint16(b[2:4], cols)
	return b
}

func SignalPayload(sig int) []byte {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, uint32(sig))
	return b
}
