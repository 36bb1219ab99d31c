// A long request's progress, streamed: pull, push and load answer with
// one JSON object per line as the work goes (Docker's jsonmessage), which
// the client draws as it comes: a status line, or a layer's line
// ("a1b2c3: Downloading [==>   ] 1.2MB/3.4MB") redrawn in place.
//
// The status line of the answer can be sent only once. It goes with the
// first message, so a request that fails before it has anything to say
// is answered with an error status (a 404 for an image the registry does
// not have) rather than a 200 whose body carries the error.

package api

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"time"
)

// jsonMessage is one line of the stream, as docker's jsonmessage reads it.
type jsonMessage struct {
	Status         string          `json:"status,omitempty"`
	ID             string          `json:"id,omitempty"`
	ProgressDetail *progressDetail `json:"progressDetail,omitempty"`
	Stream         string          `json:"stream,omitempty"`
	Aux            any             `json:"aux,omitempty"`
	Error          string          `json:"error,omitempty"`
	ErrorDetail    *errorDetail    `json:"errorDetail,omitempty"`
}

type progressDetail struct {
	Current int64 `json:"current,omitempty"`
	Total   int64 `json:"total,omitempty"`
}

type errorDetail struct {
	Code    int    `json:"code,omitempty"`
	Message string `json:"message"`
}

// jsonStream is an answer of messages. It is the pull's images.Progress;
// the layers of a pull are fetched at once, so it takes a lock.
type jsonStream struct {
	mu      sync.Mutex
	w       http.ResponseWriter
	started bool
}

func (s *jsonStream) send(m jsonMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started {
		s.w.Header().Set("Content-Type", "application/json")
		s.w.WriteHeader(http.StatusOK)
		s.started = true
	}
	jsonEncode(s.w, m)
	flush(s.w)
}

// fail ends the stream with err: as the answer's error if nothing has
// gone yet (returned, for handle to send), else as a last message.
func (s *jsonStream) fail(err error) error {
	s.mu.Lock()
	started := s.started
	s.mu.Unlock()
	if !started {
		return err
	}
	s.send(jsonMessage{Error: err.Error(), ErrorDetail: &errorDetail{Message: err.Error()}})
	return nil
}

func (s *jsonStream) Status(line string) { s.send(jsonMessage{Status: line}) }

func (s *jsonStream) Layer(id string, size int64) io.Writer {
	s.send(jsonMessage{Status: "Pulling fs layer", ID: id, ProgressDetail: &progressDetail{}})
	return &layerProgress{s: s, id: id, total: size}
}

func (s *jsonStream) LayerDone(id, status string) {
	s.send(jsonMessage{Status: status, ID: id, ProgressDetail: &progressDetail{}})
}

// layerProgress says how much of a layer has come, ten times a second
// at most: a message per read would be more bytes than the layer.
type layerProgress struct {
	s            *jsonStream
	id           string
	current      int64
	total        int64
	lastReported time.Time
}

func (l *layerProgress) Write(p []byte) (int, error) {
	l.current += int64(len(p))
	if time.Since(l.lastReported) >= 100*time.Millisecond || l.current == l.total {
		l.lastReported = time.Now()
		l.s.send(jsonMessage{Status: "Downloading", ID: l.id, ProgressDetail: &progressDetail{Current: l.current, Total: l.total}})
	}
	return len(p), nil
}

// streamLines is a writer whose every write is sent as output ("stream"):
// a build's lines and its RUNs' output, as they come.
func (s *jsonStream) streamLines() io.Writer { return streamWriter{s} }

type streamWriter struct{ s *jsonStream }

func (w streamWriter) Write(p []byte) (int, error) {
	w.s.send(jsonMessage{Stream: string(p)})
	return len(p), nil
}

// lines is a writer whose every line is sent as a status message: push
// reports in lines.
func (s *jsonStream) lines() io.Writer { return &lineMessages{s: s} }

type lineMessages struct {
	s       *jsonStream
	pending []byte
}

func (l *lineMessages) Write(p []byte) (int, error) {
	l.pending = append(l.pending, p...)
	for {
		i := bytes.IndexByte(l.pending, '\n')
		if i < 0 {
			return len(p), nil
		}
		l.s.Status(string(l.pending[:i]))
		l.pending = l.pending[i+1:]
	}
}
