// mini pull and mini images.

package imagecli

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/spf13/cobra"

	"mini/mini/cli"
	images "mini/steps/04-images"
	"mini/steps/04-images/imagestore"
	dockerfile "mini/steps/06-dockerfile"
)

type pullOptions struct {
	quiet, allTags bool
	platform       string
}

func newPullCommand(g *cli.Options) *cobra.Command {
	var o pullOptions
	cmd := &cobra.Command{
		Use:   "pull [OPTIONS] NAME[:TAG|@DIGEST]",
		Short: "Download an image from a registry",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Failed(pullImages(cmd.OutOrStdout(), g.Root, args[0], o))
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print only the image's full name")
	f.BoolVarP(&o.allTags, "all-tags", "a", false, "pull every tagged image of the repository")
	f.StringVar(&o.platform, "platform", "", "the platform to pull, from an image made for several: linux/arm64, linux/arm/v7 (default: this machine's)")
	return cmd
}

// pullImages pulls ref, or with --all-tags every tag of its repository.
func pullImages(w io.Writer, root, ref string, o pullOptions) error {
	platform := images.Platform
	if o.platform != "" {
		p, err := v1.ParsePlatform(o.platform)
		if err != nil || p.OS == "" || p.Architecture == "" {
			return fmt.Errorf("invalid --platform %q: want OS/ARCH[/VARIANT], such as linux/arm64", o.platform)
		}
		platform = *p
	}
	refs := []string{ref}
	if o.allTags {
		tags, err := images.Tags(context.Background(), ref)
		if err != nil {
			return err
		}
		repo, _ := imagestore.ParseReference(ref) // Tags has read it
		refs = nil
		for _, t := range tags {
			refs = append(refs, repo.Repository()+":"+t)
		}
	}
	store, err := images.OpenStore(root)
	if err != nil {
		return err
	}
	out := w
	if o.quiet {
		out = io.Discard
	}
	for _, r := range refs {
		progress, done := newPullProgress(out)
		_, err := store.PullPlatform(context.Background(), r, platform, progress)
		done()
		if err != nil {
			return err
		}
	}
	if full, err := imagestore.ParseReference(ref); err == nil && o.quiet {
		fmt.Fprintln(w, full.Full()) // docker pull -q's line: the name in full
	}
	return nil
}

func newImagesCommand(g *cli.Options) *cobra.Command {
	var o imagesOptions
	cmd := &cobra.Command{
		Use:   "images [OPTIONS] [REPOSITORY[:TAG]]",
		Short: "List images",
		Example: `  mini images busybox                   # one repository's tags
  mini images -f dangling=true -q       # the IDs of images without a name
  mini images --format '{{.Repository}}:{{.Tag}} {{.Size}}'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.ref = args[0]
			}
			store, err := images.OpenStore(g.Root)
			if err != nil {
				return cli.WithStatus(1, err)
			}
			if o.filter, err = parseImageFilters(store.Store, o.filters); err != nil {
				return cli.WithStatus(1, err)
			}
			recs, err := store.Records()
			if err == nil {
				if !o.all {
					recs = withoutIntermediates(store, recs)
				}
				var kept []*imagestore.Record
				for _, r := range recs {
					if o.filter.keepImage(store.Store, r) {
						kept = append(kept, r)
					}
				}
				err = printImages(cmd.OutOrStdout(), kept, o)
			}
			return cli.Failed(err)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&o.quiet, "quiet", "q", false, "only show image IDs")
	f.BoolVarP(&o.all, "all", "a", false, "show all images, the intermediate ones of builds too")
	f.BoolVar(&o.digests, "digests", false, "show digests")
	f.StringVar(&o.format, "format", "", "format the list: table, json, or a Go template such as {{.Repository}}:{{.Tag}}")
	f.StringArrayVarP(&o.filters, "filter", "f", nil, "filter: dangling=true|false, reference=PATTERN, label=KEY[=VALUE], before=IMAGE, since=IMAGE")
	f.BoolVar(&o.noTrunc, "no-trunc", false, "do not truncate the IDs")
	return cmd
}

// withoutIntermediates leaves out the untagged images that are only steps
// of builds (step 06).
func withoutIntermediates(store *images.Store, recs []*imagestore.Record) []*imagestore.Record {
	steps := dockerfile.Intermediate(store.Store)
	var out []*imagestore.Record
	for _, r := range recs {
		if len(r.RepoTags) > 0 || !steps[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

type imagesOptions struct {
	quiet, all, digests bool
	format              string
	ref                 string // REPOSITORY[:TAG], patterns allowed
	filters             []string
	filter              *imageFilters
	noTrunc             bool
}

// printImages writes Docker's columns: one row per tag, or <none> for an
// image without one; -q one ID per image, however many names.
func printImages(w io.Writer, recs []*imagestore.Record, o imagesOptions) error {
	listing := cli.ImagesListing
	if o.digests {
		listing.Table = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
	}
	var rows []cli.ImageRow
	for _, r := range recs {
		for _, row := range imageRows(r, o.noTrunc) {
			if !matchesRef(row, o.ref) || o.filter != nil && !o.filter.keepRow(row) {
				continue
			}
			rows = append(rows, row)
			if o.quiet {
				break
			}
		}
	}
	return cli.Print(w, listing, o.format, o.quiet, rows)
}

func imageRows(r *imagestore.Record, noTrunc bool) []cli.ImageRow {
	id := strings.TrimPrefix(r.ID, "sha256:")[:12]
	if noTrunc {
		id = r.ID
	}
	tags := r.RepoTags
	if len(tags) == 0 { // pulled by digest: its repository, no tag (Docker)
		for _, d := range r.RepoDigests {
			repo, _, _ := strings.Cut(d, "@")
			tags = append(tags, repo+":<none>")
		}
	}
	if len(tags) == 0 {
		tags = []string{"<none>:<none>"}
	}
	var rows []cli.ImageRow
	for _, t := range tags {
		i := strings.LastIndex(t, ":")
		rows = append(rows, cli.ImageRow{Repository: t[:i], Tag: t[i+1:], ID: id,
			Digest: digestIn(r.RepoDigests, t[:i]), CreatedSince: cli.Ago(r.Created), CreatedAt: cli.LocalTime(r.Created), Size: cli.DecimalSize(r.Size),
			VirtualSize: cli.DecimalSize(r.Size), Containers: "N/A", SharedSize: "N/A", UniqueSize: "N/A"})
	}
	return rows
}

// digestIn is the digest the image has in repository repo, as a row of
// that repository shows it (one image may be in several).
func digestIn(repoDigests []string, repo string) string {
	for _, d := range repoDigests {
		if r, digest, _ := strings.Cut(d, "@"); r == repo {
			return digest
		}
	}
	return "<none>"
}

// matchesRef says whether a row is one images REPOSITORY[:TAG] asks for:
// the repository, and the tag if given, matched as shell patterns
// (busybox, busybox:1.*, lab/*), as Docker's reference filter does.
func matchesRef(row cli.ImageRow, ref string) bool {
	if ref == "" {
		return true
	}
	repo, tag := ref, ""
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		repo, tag = ref[:i], ref[i+1:]
	}
	if ok, _ := path.Match(repo, row.Repository); !ok {
		return false
	}
	if tag == "" {
		return true
	}
	ok, _ := path.Match(tag, row.Tag)
	return ok
}
