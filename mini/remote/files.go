// Files between this machine and a daemon's: cp both ways (tar streams
// of the API's archive endpoint, made and unpacked here by step 03's
// WriteTar and Apply), diff, export, commit, and images as archives (save,
// load), built (build sends the context directory as a tar stream) and
// their history.

package remote

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/spf13/cobra"

	"mini/mini/cli"
	unionfs "mini/steps/03-unionfs"
)

func (r *remote) fileCommands() []*cobra.Command {
	return []*cobra.Command{r.cpCommand(), r.buildCommand(), r.historyCommand(),
		{Use: "diff CONTAINER", Short: "Inspect changes to files on a container's filesystem", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				changes, err := r.c.ContainerDiff(r.ctx, args[0])
				if err != nil {
					return cli.Failed(err)
				}
				kinds := map[container.ChangeType]string{container.ChangeModify: "C", container.ChangeAdd: "A", container.ChangeDelete: "D"}
				for _, c := range changes {
					fmt.Fprintf(cmd.OutOrStdout(), "%s %s\n", kinds[c.Kind], c.Path)
				}
				return nil
			}},
		r.streamOut("export [OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive", func(args []string) (io.ReadCloser, error) {
			return r.c.ContainerExport(r.ctx, args[0])
		}),
		r.streamOut("save [OPTIONS] IMAGE [IMAGE...]", "Save one or more images to a tar archive", func(args []string) (io.ReadCloser, error) {
			return r.c.ImageSave(r.ctx, args)
		}),
		r.loadCommand(), r.commitCommand(), r.importCommand(),
	}
}

// importCommand is import as a client: a tar of a root filesystem, from
// a file here or stdin, becomes an image of the daemon's.
func (r *remote) importCommand() *cobra.Command {
	var o image.ImportOptions
	cmd := &cobra.Command{Use: "import [OPTIONS] FILE|- [REPOSITORY[:TAG]]", Short: "Import a tarball to create an image", Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := io.Reader(os.Stdin)
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return cli.Failed(err)
				}
				defer f.Close()
				in = f
			}
			ref := ""
			if len(args) == 2 {
				ref = args[1]
			}
			body, err := r.c.ImageImport(r.ctx, image.ImportSource{Source: in, SourceName: "-"}, ref, o)
			if err != nil {
				return cli.Failed(err)
			}
			return cli.Failed(showProgress(body, cmd.OutOrStdout()))
		}}
	cmd.Flags().StringVarP(&o.Message, "message", "m", "", "the image's comment")
	cmd.Flags().StringArrayVarP(&o.Changes, "change", "c", nil, "apply a Dockerfile instruction to the image")
	return cmd
}

// streamOut is a command whose answer is an archive: to -o FILE, or to
// stdout when it is not a terminal.
func (r *remote) streamOut(use, short string, get func(args []string) (io.ReadCloser, error)) *cobra.Command {
	var output string
	cmd := &cobra.Command{Use: use, Short: short, Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := io.Writer(os.Stdout)
			if output == "" && cli.IsTerminal(os.Stdout) {
				return cli.Failed(fmt.Errorf("refusing to write an archive to a terminal: use -o FILE or a pipe"))
			}
			body, err := get(args)
			if err != nil {
				return cli.Failed(err)
			}
			defer body.Close()
			if output != "" {
				f, err := os.Create(output)
				if err != nil {
					return cli.Failed(err)
				}
				defer f.Close()
				out = f
			}
			_, err = io.Copy(out, body)
			return cli.Failed(err)
		}}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to a file, instead of stdout")
	return cmd
}

func (r *remote) loadCommand() *cobra.Command {
	var input string
	var quiet bool
	cmd := &cobra.Command{Use: "load [OPTIONS]", Short: "Load an image from a tar archive or stdin", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in := io.Reader(os.Stdin)
			if input != "" {
				f, err := os.Open(input)
				if err != nil {
					return cli.Failed(err)
				}
				defer f.Close()
				in = f
			}
			resp, err := r.c.ImageLoad(r.ctx, in, client.ImageLoadWithQuiet(true))
			if err != nil {
				return cli.Failed(err)
			}
			return cli.Failed(showProgress(resp.Body, cmd.OutOrStdout()))
		}}
	cmd.Flags().StringVarP(&input, "input", "i", "", "read from a tar archive file, instead of stdin")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "suppress the load output (mini always does)")
	return cmd
}

func (r *remote) commitCommand() *cobra.Command {
	var o container.CommitOptions
	cmd := &cobra.Command{Use: "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]", Short: "Create a new image from a container's changes",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 2 {
				o.Reference = args[1]
			}
			made, err := r.c.ContainerCommit(r.ctx, args[0], o)
			if err != nil {
				return cli.Failed(err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), made.ID)
			return nil
		}}
	cmd.Flags().StringVarP(&o.Comment, "message", "m", "", "commit message")
	cmd.Flags().StringVarP(&o.Author, "author", "a", "", "author")
	cmd.Flags().StringArrayVarP(&o.Changes, "change", "c", nil, "apply a Dockerfile instruction to the image")
	cmd.Flags().BoolVarP(&o.Pause, "pause", "p", true, "pause the container during the commit")
	return cmd
}

func (r *remote) historyCommand() *cobra.Command {
	return cli.HistoryCommand(func(ref string) ([]image.HistoryResponseItem, error) { return r.c.ImageHistory(r.ctx, ref) })
}

// buildCommand is build as a client: the context directory goes to the
// daemon as a tar stream, and the builder's lines come back.
func (r *remote) buildCommand() *cobra.Command {
	var o build.ImageBuildOptions
	var args []string
	cmd := &cobra.Command{Use: "build [OPTIONS] PATH", Short: "Build an image from a Dockerfile", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, dirs []string) error {
			o.BuildArgs = map[string]*string{}
			for _, kv := range args {
				k, v, _ := strings.Cut(kv, "=")
				o.BuildArgs[k] = &v
			}
			o.Remove = true
			pr, pw := io.Pipe()
			go func() { pw.CloseWithError(unionfs.WriteTar(pw, dirs[0], "")) }()
			resp, err := r.c.ImageBuild(r.ctx, pr, o)
			if err != nil {
				return cli.Failed(err)
			}
			return cli.Failed(showProgress(resp.Body, cmd.OutOrStdout()))
		}}
	f := cmd.Flags()
	f.StringArrayVarP(&o.Tags, "tag", "t", nil, "name and tag the image: NAME[:TAG]")
	f.StringVarP(&o.Dockerfile, "file", "f", "", "the Dockerfile, a path in the context (default: Dockerfile)")
	f.StringArrayVar(&args, "build-arg", nil, "set a build argument: KEY=VALUE")
	f.StringVar(&o.Target, "target", "", "build up to this stage")
	f.BoolVar(&o.NoCache, "no-cache", false, "do not use the cache")
	f.BoolVarP(&o.SuppressOutput, "quiet", "q", false, "print only the image ID")
	return cmd
}

// cpCommand is cp between this machine and a container of the daemon's:
// CONTAINER:SRC DEST, or SRC CONTAINER:DEST; "-" is a tar stream on
// stdin or stdout.
func (r *remote) cpCommand() *cobra.Command {
	return &cobra.Command{Use: "cp CONTAINER:SRC_PATH DEST_PATH|-, or SRC_PATH|- CONTAINER:DEST_PATH", Short: "Copy files between a container and this machine",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			fromRef, from, fromContainer := strings.Cut(args[0], ":")
			toRef, to, toContainer := strings.Cut(args[1], ":")
			switch {
			case fromContainer && !toContainer:
				return cli.Failed(r.copyOut(fromRef, from, args[1]))
			case toContainer && !fromContainer:
				return cli.Failed(r.copyIn(args[0], toRef, to))
			}
			return cli.Failed(fmt.Errorf("cp copies between a container and this machine: give exactly one CONTAINER:PATH"))
		}}
}

// copyOut unpacks the container's src here: into dest if it is a
// directory, else as dest.
func (r *remote) copyOut(ref, src, dest string) error {
	body, _, err := r.c.CopyFromContainer(r.ctx, ref, src)
	if err != nil {
		return err
	}
	defer body.Close()
	if dest == "-" {
		_, err = io.Copy(os.Stdout, body)
		return err
	}
	if fi, err := os.Stat(dest); err == nil && fi.IsDir() {
		return unionfs.Apply(dest, body, unionfs.ApplyOptions{})
	}
	return unionfs.Apply(filepath.Dir(dest), renameTop(body, path.Base(path.Clean("/"+src)), filepath.Base(dest)), unionfs.ApplyOptions{})
}

// copyIn sends src (a file or directory here, or a tar stream on stdin)
// into the container: into dest if it is a directory there, else as dest.
func (r *remote) copyIn(src, ref, dest string) error {
	if src == "-" {
		return r.c.CopyToContainer(r.ctx, ref, dest, os.Stdin, container.CopyToContainerOptions{})
	}
	dir, name := dest, filepath.Base(src)
	if st, err := r.c.ContainerStatPath(r.ctx, ref, dest); err != nil || !st.Mode.IsDir() {
		dir, name = path.Dir(path.Clean("/"+dest)), path.Base(dest)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(unionfs.WriteTar(pw, src, name)) }()
	return r.c.CopyToContainer(r.ctx, ref, dir, pr, container.CopyToContainerOptions{})
}

// renameTop rewrites a tar stream whose entries start with from so that
// they start with to: a copy given a new name.
func renameTop(r io.Reader, from, to string) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		tr, tw := tar.NewReader(r), tar.NewWriter(pw)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				pw.CloseWithError(tw.Close())
				return
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			if h.Name == from || strings.HasPrefix(h.Name, from+"/") {
				h.Name = to + strings.TrimPrefix(h.Name, from)
			}
			if err := tw.WriteHeader(h); err == nil {
				_, err = io.Copy(tw, tr)
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
	}()
	return pr
}
