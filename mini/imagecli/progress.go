// How a pull looks: Docker's lines when the output is a file or a pipe, and
// on a terminal one progress bar per layer, redrawn as bytes arrive. The
// bars are drawn by mpb (github.com/vbauerster/mpb): the mechanism this
// project teaches is the pull, not terminal drawing.

package imagecli

import (
	"fmt"
	"io"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"mini/mini/cli"
	images "mini/steps/04-images"
)

// newPullProgress picks how to show a pull on w; call the returned func
// when the pull is over.
func newPullProgress(w io.Writer) (images.Progress, func()) {
	if !cli.IsTerminal(w) {
		return images.Lines{W: w}, func() {}
	}
	b := &barProgress{out: w, p: mpb.New(mpb.WithOutput(w), mpb.WithWidth(40)), bars: map[string]*mpb.Bar{}}
	return b, b.finish
}

// barProgress draws a bar per layer.
type barProgress struct {
	out   io.Writer
	p     *mpb.Progress
	bars  map[string]*mpb.Bar
	later []string // status lines that come while bars are drawn
}

func (b *barProgress) Status(line string) {
	if len(b.bars) == 0 {
		fmt.Fprintln(b.out, line)
		return
	}
	b.later = append(b.later, line)
}

func (b *barProgress) Layer(id string, size int64) io.Writer {
	bar := b.p.AddBar(size,
		mpb.PrependDecorators(decor.Name(id+": "), decor.OnComplete(decor.Name("Downloading"), "Pull complete")),
		mpb.AppendDecorators(decor.OnComplete(decor.CountersKibiByte("% .1f / % .1f"), "")),
	)
	b.bars[id] = bar
	return barWriter{bar}
}

func (b *barProgress) LayerDone(id, status string) {
	if bar, ok := b.bars[id]; ok {
		bar.SetTotal(-1, true) // complete, whatever the count
		return
	}
	// A layer the store has: a finished line among the bars.
	bar := b.p.AddBar(0, mpb.PrependDecorators(decor.Name(id+": "+status)))
	b.bars[id] = bar
	bar.SetTotal(0, true)
}

// finish waits for the bars' last drawing, then prints what came meanwhile.
func (b *barProgress) finish() {
	b.p.Wait()
	for _, l := range b.later {
		fmt.Fprintln(b.out, l)
	}
}

// barWriter counts bytes into a bar.
type barWriter struct{ bar *mpb.Bar }

func (w barWriter) Write(p []byte) (int, error) {
	w.bar.IncrBy(len(p))
	return len(p), nil
}
