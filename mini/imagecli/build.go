// mini build: a Dockerfile into an image (step 06), with the runtime
// running each RUN in a container of its own.

package imagecli

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	unionfs "mini/steps/03-unionfs"
	images "mini/steps/04-images"
	"mini/steps/04-images/imagestore"
	dockerfile "mini/steps/06-dockerfile"
	runtime "mini/steps/07-runtime"
)

type buildOptions struct {
	tags, buildArgs         []string
	file, target            string
	noCache, quiet, rm, frm bool
}

func newBuildCommand(g *cli.Options) *cobra.Command {
	var o buildOptions
	cmd := &cobra.Command{
		Use: "build [OPTIONS] PATH|-", Short: "Build an image from a Dockerfile", Args: cobra.ExactArgs(1),
		Example: `  mini build -t app:1 .                          # ./Dockerfile, with . as the context
  mini build -f build/Dockerfile --build-arg V=2 -t app:2 .
  mini build --target test -t app:test .         # up to one stage of a multi-stage file`,
		Long: `Build an image from a Dockerfile, as Docker's classic builder does
(DOCKER_BUILDKIT=0): the same steps, layers, history and cache.

Two features are BuildKit's, not the classic builder's, and mini has them
too: COPY --chmod and heredocs (RUN <<EOF). And where Docker 20.10 copies
a zstd archive given to ADD as a file, mini unpacks it, as Docker 23 and
later do.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			err := build(g.Root, args[0], o)
			var runErr *dockerfile.RunError
			if errors.As(err, &runErr) { // the command's own status, as Docker's builder
				return cli.WithStatus(runErr.Code, err)
			}
			return cli.Failed(err)
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&o.tags, "tag", "t", nil, "name and tag the image: NAME[:TAG]")
	f.StringVarP(&o.file, "file", "f", "", "the Dockerfile (default: PATH/Dockerfile; - reads it from stdin)")
	f.StringArrayVar(&o.buildArgs, "build-arg", nil, "set a build argument: KEY=VALUE")
	f.StringVar(&o.target, "target", "", "build up to this stage")
	f.BoolVar(&o.noCache, "no-cache", false, "do not use the cache")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print only the image ID")
	f.BoolVar(&o.rm, "rm", true, "remove intermediate containers (always, in mini)")
	f.BoolVar(&o.frm, "force-rm", false, "remove intermediate containers even after a failure (always, in mini)")
	return cmd
}

func build(root, contextArg string, o buildOptions) error {
	for _, t := range o.tags {
		if _, err := imagestore.ParseReference(t); err != nil {
			return fmt.Errorf("invalid -t %q: %v", t, err)
		}
	}
	args := map[string]string{}
	for _, kv := range o.buildArgs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			v, ok = os.LookupEnv(k)
		}
		if ok {
			args[k] = v
		}
	}
	dir, text, cleanup, err := buildContext(root, contextArg, o.file)
	if err != nil {
		return err
	}
	defer cleanup()
	store, err := images.OpenStore(root)
	if err != nil {
		return err
	}
	cli.Runtime(root).RemoveOrphanedBuilds() // what killed builds left
	out := io.Writer(os.Stdout)
	if o.quiet {
		out = io.Discard
	}
	runner := &runtime.BuildRunner{Runtime: cli.Runtime(root), Stdout: os.Stdout, Stderr: os.Stderr,
		CgroupParent: cli.DefaultCgroupParent(), Network: cmp.Or(os.Getenv("MINI_NETWORK"), "bridge")}
	if o.quiet {
		runner.Stdout, runner.Stderr = io.Discard, io.Discard
	}
	rec, err := dockerfile.Build(dockerfile.Options{
		Context: dir, Dockerfile: text, BuildArgs: args, Target: o.target, NoCache: o.noCache,
		Ignore: dockerfile.ReadIgnore(dir), Out: out, Store: store, Runner: runner,
		Base: func(ref string) (*imagestore.Record, error) { return baseImage(store, ref) },
	})
	if err != nil {
		return err
	}
	id := strings.TrimPrefix(rec.ID, "sha256:")
	if o.quiet {
		fmt.Println(rec.ID)
	} else {
		fmt.Printf("Successfully built %s\n", id[:12])
	}
	for _, t := range o.tags {
		if err := store.Tag(rec, t); err != nil {
			return err
		}
		if !o.quiet {
			fmt.Printf("Successfully tagged %s\n", t)
		}
	}
	return nil
}

// baseImage is FROM's image: the store's, or pulled.
func baseImage(store *images.Store, ref string) (*imagestore.Record, error) {
	rec, err := store.Lookup(ref)
	if errors.Is(err, imagestore.ErrNotFound) {
		progress, done := newPullProgress(os.Stderr)
		rec, err = store.Pull(context.Background(), ref, progress)
		done()
	}
	return rec, err
}

// buildContext is the build's directory and Dockerfile: PATH and
// PATH/Dockerfile (or -f), or from stdin ("-"): a tar context, or a
// Dockerfile alone with an empty context.
func buildContext(root, arg, file string) (dir string, text []byte, cleanup func(), err error) {
	cleanup = func() {}
	if arg == "-" {
		data, err := io.ReadAll(os.Stdin)
		if err != nil {
			return "", nil, nil, err
		}
		tmp, err := os.MkdirTemp("", "mini-build-")
		if err != nil {
			return "", nil, nil, err
		}
		cleanup = func() { os.RemoveAll(tmp) }
		if len(data) > 262 && string(data[257:262]) == "ustar" {
			if err := unionfs.Apply(tmp, bytes.NewReader(data), unionfs.ApplyOptions{}); err != nil {
				cleanup()
				return "", nil, nil, fmt.Errorf("read the context from stdin: %w", err)
			}
		} else {
			return tmp, data, cleanup, nil
		}
		arg = tmp
		if file != "" && !filepath.IsAbs(file) {
			file = filepath.Join(tmp, file) // -f names a file of the context
		}
	}
	if dir, err = filepath.Abs(arg); err != nil {
		cleanup()
		return "", nil, nil, err
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		cleanup()
		return "", nil, nil, fmt.Errorf("unable to prepare context: path %q not found or not a directory", arg)
	}
	if file == "" {
		file = filepath.Join(dir, "Dockerfile")
	}
	if file == "-" { // the Dockerfile on stdin, the context a directory
		text, err = io.ReadAll(os.Stdin)
	} else {
		text, err = os.ReadFile(file)
	}
	if err != nil {
		cleanup()
		return "", nil, nil, fmt.Errorf("cannot read the Dockerfile: %w", err)
	}
	return dir, text, cleanup, nil
}
