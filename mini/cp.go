// mini cp: copy files between a container and the host, in either
// direction, whether the container runs or not.
//
//	mini cp [-a] CONTAINER:SRC DEST     (DEST "-" writes a tar stream)
//	mini cp [-a] SRC CONTAINER:DEST     (SRC "-" reads a tar stream)
//
// Paths in the container are resolved inside its root
// (steps/03-unionfs), so a symlink in the container can make cp read or
// write only the container, never the host. Everything travels as a tar
// stream, which keeps modes and times (and owners with -a).

package main

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	unionfs "mini/steps/03-unionfs"
)

func newCpCommand(g *globalOptions) *cobra.Command {
	var archive bool
	cmd := &cobra.Command{
		Use:   "cp [OPTIONS] CONTAINER:SRC DEST|-  or  cp [OPTIONS] SRC|- CONTAINER:DEST",
		Short: "Copy files between a container and the host",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			switch {
			case isContainerPath(args[0]) && !isContainerPath(args[1]):
				err = copyOut(g.root, args[0], args[1], archive, cmd.OutOrStdout())
			case isContainerPath(args[1]) && !isContainerPath(args[0]):
				err = copyIn(g.root, args[0], args[1], archive, cmd.InOrStdin())
			default:
				err = fmt.Errorf("copying needs exactly one CONTAINER:PATH, as source or as destination")
			}
			return failed(err)
		},
	}
	cmd.Flags().BoolVarP(&archive, "archive", "a", false, "keep owners (uid and gid); otherwise copies belong to root")
	return cmd
}

// isContainerPath says whether arg is CONTAINER:PATH (a host path with a
// colon must be written with a slash in front, ./a:b, as in Docker).
func isContainerPath(arg string) bool {
	name, _, ok := strings.Cut(arg, ":")
	return ok && name != "" && !strings.Contains(name, "/")
}

// destination decides, as cp(1) and docker cp do, where a copy of src lands
// when sent to dest: into dest if dest is an existing directory (keeping
// src's name), otherwise as dest itself.
func destination(dest string, destIsDir bool, src string) (dir, name string) {
	if destIsDir {
		return dest, path.Base(src)
	}
	return path.Dir(dest), path.Base(dest)
}

func applyOptions(archive bool) unionfs.ApplyOptions {
	if archive {
		return unionfs.ApplyOptions{}
	}
	return unionfs.ApplyOptions{Owner: &[2]int{0, 0}}
}

// copyOut copies CONTAINER:SRC to the host (or a tar stream on stdout).
func copyOut(root, from, dest string, archive bool, stdout io.Writer) error {
	ref, src, _ := strings.Cut(from, ":")
	view, err := openContainerRoot(root, ref, false)
	if err != nil {
		return err
	}
	defer view.Close()
	srcf, err := unionfs.OpenIn(view, src, unix.O_PATH)
	if err != nil {
		return fmt.Errorf("%s in container %s: %w", src, ref, err)
	}
	defer srcf.Close()
	if dest == "-" {
		return unionfs.WriteTar(stdout, unionfs.FdPath(srcf), path.Base(path.Clean("/"+src)))
	}
	fi, err := os.Stat(dest)
	dir, name := destination(filepath.Clean(dest), err == nil && fi.IsDir(), path.Clean("/"+src))
	return pipeTar(unionfs.FdPath(srcf), name, dir, applyOptions(archive))
}

// copyIn copies SRC (or a tar stream on stdin) into CONTAINER:DEST.
func copyIn(root, src, to string, archive bool, stdin io.Reader) error {
	ref, dest, _ := strings.Cut(to, ":")
	view, err := openContainerRoot(root, ref, true)
	if err != nil {
		return err
	}
	defer view.Close()
	destIsDir := false
	if f, err := unionfs.OpenIn(view, dest, unix.O_PATH|unix.O_DIRECTORY); err == nil {
		f.Close()
		destIsDir = true
	}
	if src == "-" {
		if !destIsDir {
			return fmt.Errorf("%s in container %s is not a directory to extract into", dest, ref)
		}
		return applyIn(view, dest, stdin, applyOptions(archive))
	}
	if _, err := os.Lstat(src); err != nil {
		return err
	}
	dir, name := destination(path.Clean("/"+dest), destIsDir, filepath.Clean(src))
	r, w := io.Pipe()
	go func() { w.CloseWithError(unionfs.WriteTar(w, src, name)) }()
	return applyIn(view, dir, r, applyOptions(archive))
}

// applyIn extracts a tar stream into dir, resolved inside the container.
func applyIn(view *os.File, dir string, r io.Reader, opts unionfs.ApplyOptions) error {
	d, err := unionfs.OpenIn(view, dir, unix.O_PATH|unix.O_DIRECTORY)
	if err != nil {
		return fmt.Errorf("%s in the container: %w", dir, err)
	}
	defer d.Close()
	return unionfs.Apply(unionfs.FdPath(d), r, opts)
}

// pipeTar copies the tree at src into the host directory dir as name.
func pipeTar(src, name, dir string, opts unionfs.ApplyOptions) error {
	r, w := io.Pipe()
	go func() { w.CloseWithError(unionfs.WriteTar(w, src, name)) }()
	return unionfs.Apply(dir, r, opts)
}

// openContainerRoot finds a container by name or ID and opens its root
// (runtime's Container.OpenRoot).
func openContainerRoot(root, ref string, writable bool) (*os.File, error) {
	c, err := runtimeAt(root).Find(ref)
	if err != nil {
		return nil, err
	}
	return c.OpenRoot(writable)
}
