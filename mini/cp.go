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

	"mini/mini/cli"
	unionfs "mini/steps/03-unionfs"
)

func newCpCommand(g *cli.Options) *cobra.Command {
	var archive bool
	cmd := &cobra.Command{
		Use:   "cp [OPTIONS] CONTAINER:SRC DEST|-  or  cp [OPTIONS] SRC|- CONTAINER:DEST",
		Short: "Copy files between a container and the host",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			switch {
			case isContainerPath(args[0]) && !isContainerPath(args[1]):
				err = copyOut(g.Root, args[0], args[1], archive, cmd.OutOrStdout())
			case isContainerPath(args[1]) && !isContainerPath(args[0]):
				err = copyIn(g.Root, args[0], args[1], archive, cmd.InOrStdin())
			default:
				err = fmt.Errorf("copying needs exactly one CONTAINER:PATH, as source or as destination")
			}
			return cli.Failed(err)
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
	rt := cli.Runtime(root)
	if dest == "-" {
		return rt.CopyFrom(ref, src, path.Base(path.Clean("/"+src)), stdout)
	}
	fi, err := os.Stat(dest)
	dir, name := destination(filepath.Clean(dest), err == nil && fi.IsDir(), path.Clean("/"+src))
	r, w := io.Pipe()
	go func() { w.CloseWithError(rt.CopyFrom(ref, src, name, w)) }()
	err = unionfs.Apply(dir, r, applyOptions(archive))
	r.CloseWithError(err) // a failed extraction ends the copy
	return err
}

// copyIn copies SRC (or a tar stream on stdin) into CONTAINER:DEST.
func copyIn(root, src, to string, archive bool, stdin io.Reader) error {
	ref, dest, _ := strings.Cut(to, ":")
	rt := cli.Runtime(root)
	destIsDir, err := rt.IsDir(ref, dest)
	if err != nil {
		return err
	}
	if src == "-" {
		if !destIsDir {
			return fmt.Errorf("%s in container %s is not a directory to extract into", dest, ref)
		}
		return rt.CopyTo(ref, dest, stdin, applyOptions(archive))
	}
	if _, err := os.Lstat(src); err != nil {
		return err
	}
	dir, name := destination(path.Clean("/"+dest), destIsDir, filepath.Clean(src))
	r, w := io.Pipe()
	go func() { w.CloseWithError(unionfs.WriteTar(w, src, name)) }()
	err = rt.CopyTo(ref, dir, r, applyOptions(archive))
	r.CloseWithError(err)
	return err
}
