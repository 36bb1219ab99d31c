// Command example is step 06 with a runner of its own: a Dockerfile built
// into an image of a store, each RUN run in a small container made from
// steps 01 and 03 alone (new namespaces, an overlay of the image's layers
// and an upper directory), with no supervisor, cgroup or network.
//
//	mkdir -p /tmp/app && printf 'FROM busybox\nRUN echo hi > /hi\nCMD ["cat", "/hi"]\n' > /tmp/app/Dockerfile
//	sudo go run ./steps/06-dockerfile/example /tmp/example-store /tmp/app
//
// FROM's image must be in the store (step 04's example pulls one into
// /tmp/example-store) or on a registry. mini's own runner (mini/build.go)
// runs each RUN as a full container instead: limits, network, supervisor.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	namespaces "mini/steps/01-namespaces"
	unionfs "mini/steps/03-unionfs"
	images "mini/steps/04-images"
	"mini/steps/04-images/imagestore"
	dockerfile "mini/steps/06-dockerfile"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == namespaces.InitCommand {
		namespaces.Init() // a RUN's container, starting (step 01's example says how)
	}
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: example STORE_DIR CONTEXT_DIR")
		os.Exit(2)
	}
	store, err := images.OpenStore(os.Args[1])
	check(err)
	text, err := os.ReadFile(filepath.Join(os.Args[2], "Dockerfile"))
	check(err)
	tmp, err := os.MkdirTemp("", "build-example-")
	check(err)
	defer os.RemoveAll(tmp)
	rec, err := dockerfile.Build(dockerfile.Options{
		Context: os.Args[2], Dockerfile: text, Out: os.Stdout, Store: store,
		Runner: &runner{store: store, tmp: tmp},
		Base: func(ref string) (*imagestore.Record, error) {
			rec, err := store.Lookup(ref)
			if errors.Is(err, imagestore.ErrNotFound) {
				return store.Pull(context.Background(), ref, images.Lines{W: os.Stdout})
			}
			return rec, err
		},
	})
	check(err)
	fmt.Printf("built %s\n", rec.ID)
}

// runner runs RUN instructions for the builder (dockerfile.Runner).
type runner struct {
	store *images.Store
	tmp   string
}

// Run runs argv in a container of the image imageID and returns its upper
// directory: what the command changed, the builder's next layer.
func (r *runner) Run(imageID string, argv, env []string, user, workdir string, out io.Writer) (string, func(), int, error) {
	rec, err := r.store.Lookup(imageID)
	if err != nil {
		return "", nil, 0, err
	}
	dir, err := os.MkdirTemp(r.tmp, "run-")
	if err != nil {
		return "", nil, 0, err
	}
	remove := func() { os.RemoveAll(dir) }
	l := unionfs.Layers{Lower: r.store.LowerDirs(rec), Upper: filepath.Join(dir, "upper"), Work: filepath.Join(dir, "work")}
	merged := filepath.Join(dir, "merged")
	for _, d := range []string{l.Upper, l.Work, merged} {
		if err := os.Mkdir(d, 0o700); err != nil {
			remove()
			return "", nil, 0, err
		}
	}
	if err := unionfs.CopyRootAttrs(l.Lower[0], l.Upper); err != nil {
		remove()
		return "", nil, 0, err
	}
	data, mountDir := l.MountData()
	// The overlay is mounted in the container's own mount namespace, just
	// before pivot_root: it goes away with the container.
	spec := &namespaces.Spec{Rootfs: merged, RootfsMount: &namespaces.Mount{Source: "overlay", Type: "overlay", Data: data, Dir: mountDir},
		Args: argv, Env: env, User: user, Cwd: workdir, Hostname: "build"}
	code, err := runIn(spec, out)
	if err != nil {
		remove()
		return "", nil, 0, err
	}
	return l.Upper, remove, code, nil
}

// runIn starts the container and copies its output to out until it exits.
func runIn(spec *namespaces.Spec, out io.Writer) (int, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	copied := make(chan struct{})
	go func() { io.Copy(out, pr); close(copied) }()
	p, err := namespaces.Start(spec, namespaces.Options{Stdio: namespaces.Stdio{Stdout: pw, Stderr: pw}})
	pw.Close()
	if err != nil {
		<-copied
		var se *namespaces.StartError
		if errors.As(err, &se) {
			fmt.Fprintln(out, se.Msg)
			return se.Code, nil // the command could not run: its status, as Docker's builder says
		}
		return 0, err
	}
	code, err := p.Wait()
	<-copied
	return code, err
}

func check(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "example: %v\n", err)
		os.Exit(1)
	}
}
