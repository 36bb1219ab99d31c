// mini import.

package imagecli

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	images "mini/steps/04-images"
)

func newImportCommand(g *cli.Options) *cobra.Command {
	var changes []string
	var message string
	cmd := &cobra.Command{
		Use:   "import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
		Short: "Make an image from a root filesystem archive",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			tag := ""
			if len(args) == 2 {
				tag = args[1]
			}
			id, err := importImage(cmd, g.Root, args[0], tag, changes, message)
			if err != nil {
				return cli.WithStatus(1, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), id)
			return nil
		},
	}
	cmd.Flags().StringArrayVarP(&changes, "change", "c", nil, "apply a Dockerfile instruction to the image")
	cmd.Flags().StringVarP(&message, "message", "m", "", "the commit message of the imported image (its history's comment)")
	return cmd
}

// importImage reads the archive from a file, a URL or stdin (copied to a
// file first: the layer is read more than once).
func importImage(cmd *cobra.Command, root, src, tag string, changes []string, message string) (string, error) {
	store, err := images.OpenStore(root)
	if err != nil {
		return "", err
	}
	path := src
	if src == "-" || strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		tmp, err := store.TempFile("import")
		if err != nil {
			return "", err
		}
		defer os.Remove(tmp.Name())
		err = copyFrom(tmp, src, cmd.InOrStdin())
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", err
		}
		path = tmp.Name()
	}
	rec, err := store.Import(path, tag, changes, message)
	if err != nil {
		return "", err
	}
	return rec.ID, nil
}

func copyFrom(w io.Writer, src string, stdin io.Reader) error {
	if src == "-" {
		_, err := io.Copy(w, stdin)
		return err
	}
	resp, err := http.Get(src)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", src, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch %s: %s", src, resp.Status)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
