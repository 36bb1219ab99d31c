// The image's side of volumes: the paths its VOLUME instructions name get
// anonymous volumes of their own, and a new, empty volume starts with the
// image's files at its path, as Docker does. (Without that copy, a volume
// over /var/lib/app would hide what the image put there.)

package runtime

import (
	"fmt"
	"io"
	"os"
	"sort"

	"golang.org/x/sys/unix"

	unionfs "mini/steps/03-unionfs"
)

// imageVolumes returns -v specs for the image's volumes that no -v or
// --volumes-from already covers: each becomes an anonymous volume.
func imageVolumes(src *rootSource, specs []string, inherited []Volume) []string {
	if src.cfg == nil || len(src.cfg.Config.Volumes) == 0 {
		return nil
	}
	covered := map[string]bool{}
	for _, v := range inherited {
		covered[v.Target] = true
	}
	for _, s := range specs {
		if v, err := parseVolume(s); err == nil {
			covered[v.target] = true
		}
	}
	var out []string
	for target := range src.cfg.Config.Volumes {
		if !covered[target] {
			out = append(out, target)
		}
	}
	sort.Strings(out)
	return out
}

// populateVolumes copies the image's files at each new volume's path into
// the volume, when the volume is empty: ownership and modes come along, as
// the tar between them carries them.
func populateVolumes(lower []string, vols []Volume) error {
	var view *os.File
	defer func() {
		if view != nil {
			view.Close()
		}
	}()
	for _, v := range vols {
		if v.Name == "" || !emptyDir(v.Source) {
			continue // a host directory, or a volume already in use
		}
		if view == nil {
			var err error
			if view, err = unionfs.OpenLayers(lower); err != nil {
				return err
			}
		}
		if err := copyFromImage(view, v.Target, v.Source); err != nil {
			return fmt.Errorf("fill volume %s from the image's %s: %w", v.Name, v.Target, err)
		}
	}
	return nil
}

// copyFromImage copies the directory at target in the layers into dir; a
// path the image lacks, or that is not a directory, leaves dir empty.
func copyFromImage(view *os.File, target, dir string) error {
	src, err := unionfs.OpenIn(view, target, unix.O_PATH|unix.O_DIRECTORY)
	if err != nil {
		return nil
	}
	defer src.Close()
	r, w := io.Pipe()
	go func() { w.CloseWithError(unionfs.WriteTar(w, unionfs.FdPath(src), ".")) }()
	err = unionfs.Apply(dir, r, unionfs.ApplyOptions{})
	r.CloseWithError(err) // stop the writer if Apply gave up
	if err != nil {
		return err
	}
	return copyOwnership(src, dir)
}

// copyOwnership gives dir the owner and mode of the image's directory (a
// tar's entries are what is inside; the top itself is not applied).
func copyOwnership(src *os.File, dir string) error {
	var st unix.Stat_t
	if err := unix.Fstat(int(src.Fd()), &st); err != nil {
		return err
	}
	if err := os.Lchown(dir, int(st.Uid), int(st.Gid)); err != nil {
		return err
	}
	return os.Chmod(dir, os.FileMode(st.Mode&0o7777))
}

// emptyDir says whether dir holds nothing.
func emptyDir(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	return err == io.EOF
}
