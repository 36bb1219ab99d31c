// GET /containers/{id}/logs: the container's log (step 07's json-file),
// and with follow=1 what it writes from then on. Without a terminal, two
// streams share the one answer, so each chunk is framed:
//
//	+--------+-------+-------+-------+---------------------------------+
//	| stream |   0   |   0   |   0   | length (4 bytes, big-endian)    |
//	+--------+-------+-------+-------+---------------------------------+
//	| the bytes: one log line                                          |
//
// stream 1 is stdout, 2 stderr. The client reads 8 bytes, then that many,
// and writes them to its own stdout or stderr (docker's stdcopy). With a
// terminal there was only one stream, and the bytes go as they are.

package api

import (
	"encoding/binary"
	"net/http"
	"strconv"
	"time"

	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

// frame writes one chunk of a stream, with its header.
//
//lab:08,fail write the 8-byte header (the stream, three zero bytes, the length big-endian), then p
func frame(w http.ResponseWriter, stream byte, p []byte) error {
	var header [8]byte
	header[0] = stream
	binary.BigEndian.PutUint32(header[4:], uint32(len(p)))
	if _, err := w.Write(header[:]); err != nil {
		return err
	}
	_, err := w.Write(p)
	return err
}

func (s *Server) logs(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	c, err := s.container(id)
	if err != nil {
		return err
	}
	o, err := logsOptions(r)
	if err != nil {
		return err
	}
	stdout, stderr := boolParam(r, "stdout"), boolParam(r, "stderr")
	if !stdout && !stderr {
		return badRequest("Bad parameters: you must choose at least one stream")
	}
	tty, timestamps := c.Spec.Tty, boolParam(r, "timestamps")
	if tty {
		w.Header().Set("Content-Type", "application/vnd.docker.raw-stream")
	} else {
		w.Header().Set("Content-Type", "application/vnd.docker.multiplexed-stream")
	}
	w.WriteHeader(http.StatusOK)
	flush(w)
	return s.rt.Logs(id, o, func(e *supervisor.LogEntry) {
		if e.Stream == "stdout" && !stdout || e.Stream == "stderr" && !stderr {
			return
		}
		line := []byte(e.Log)
		if timestamps {
			line = append([]byte(e.Time.Format(time.RFC3339Nano)+" "), line...)
		}
		if tty {
			w.Write(line)
		} else if e.Stream == "stderr" {
			frame(w, 2, line)
		} else {
			frame(w, 1, line)
		}
		flush(w)
	})
}

// logsOptions reads follow, tail, since and until.
func logsOptions(r *http.Request) (runtime.LogsOptions, error) {
	o := runtime.LogsOptions{Follow: boolParam(r, "follow"), Tail: -1, Done: r.Context().Done()}
	if t := r.URL.Query().Get("tail"); t != "" && t != "all" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			return o, badRequest("invalid tail %q: want a number of lines, or all", t)
		}
		o.Tail = n
	}
	var err error
	if o.Since, err = unixTime(r.URL.Query().Get("since")); err != nil {
		return o, err
	}
	o.Until, err = unixTime(r.URL.Query().Get("until"))
	return o, err
}
