// What a pull reports as it goes. The store says what happens (a status
// line, a layer starting with its size, bytes arriving, a layer done);
// how to show it is the caller's: Docker's lines, or one bar per layer on a
// terminal (mini/progress.go).

package images

import (
	"fmt"
	"io"
)

// Progress receives a pull's events.
type Progress interface {
	// Status is a line about the whole image.
	Status(line string)
	// Layer says a layer (by its short ID) starts downloading, of size
	// bytes; what it returns is given the bytes as they arrive.
	Layer(id string, size int64) io.Writer
	// LayerDone says how the layer ended: "Pull complete", "Already exists".
	LayerDone(id, status string)
}

// Lines reports as Docker does when its output is not a terminal: one line
// per event, nothing per byte.
type Lines struct{ W io.Writer }

func (l Lines) Status(line string) { fmt.Fprintln(l.W, line) }

func (l Lines) Layer(id string, size int64) io.Writer {
	fmt.Fprintf(l.W, "%s: Pulling fs layer\n", id)
	return io.Discard
}

func (l Lines) LayerDone(id, status string) { fmt.Fprintf(l.W, "%s: %s\n", id, status) }
