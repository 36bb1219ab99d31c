// mini run IMAGE, mini pull, mini images: images from step 04's store.

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"text/template"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/spf13/cobra"

	images "mini/steps/04-images"
	dockerfile "mini/steps/06-dockerfile"
)

// rootSource is what a container's root is made from: the --rootfs
// directory, or an image's layers and defaults.
type rootSource struct {
	lower   []string       // layer directories, top first
	image   string         // the image's name, or ""
	imageID string         // its ID
	cfg     *v1.ConfigFile // the image's config, or nil
}

// exposedPorts are the image's EXPOSE ports, "80/tcp".
func (r *rootSource) exposedPorts() []string {
	if r.cfg == nil {
		return nil
	}
	var out []string
	for p := range r.cfg.Config.ExposedPorts {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// resolveRoot reads --rootfs or, without it, takes the first argument as
// an image, pulling it when the store lacks it. It returns the arguments
// left for the command.
func resolveRoot(root, rootfs string, args []string) (*rootSource, []string, error) {
	if rootfs != "" {
		dir, err := checkRootfs(rootfs)
		return &rootSource{lower: []string{dir}}, args, err
	}
	if len(args) == 0 {
		return nil, nil, fmt.Errorf("no image given: mini run [OPTIONS] IMAGE [COMMAND] (or --rootfs DIR)")
	}
	store, err := images.OpenStore(root)
	if err != nil {
		return nil, nil, err
	}
	rec, err := store.Lookup(args[0])
	if errors.Is(err, images.ErrNotFound) {
		fmt.Fprintf(os.Stderr, "Unable to find image '%s' locally\n", args[0])
		progress, done := newPullProgress(os.Stderr)
		rec, err = store.Pull(context.Background(), args[0], progress)
		done()
	}
	if err != nil {
		return nil, nil, err
	}
	if len(rec.DiffIDs) == 0 {
		return nil, nil, fmt.Errorf("image %s has no layers to run", args[0])
	}
	cfg, err := imageConfig(store, rec)
	if err != nil {
		return nil, nil, err
	}
	return &rootSource{lower: store.LowerDirs(rec), image: args[0], imageID: rec.ID, cfg: cfg}, args[1:], nil
}

func imageConfig(store *images.Store, rec *images.Record) (*v1.ConfigFile, error) {
	data, err := store.ReadBlob(rec.ID)
	if err != nil {
		return nil, fmt.Errorf("read config of image %s: %w", rec.ID[7:19], err)
	}
	var cfg v1.ConfigFile
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("read config of image %s: %w", rec.ID[7:19], err)
	}
	return &cfg, nil
}

// command is what a container runs, by Docker's rules: the entrypoint
// (the image's, unless --entrypoint), then the arguments given or else the
// image's Cmd.
func (src *rootSource) command(args []string, entrypoint string, entrypointSet bool) []string {
	var ep, cmd []string
	if src.cfg != nil {
		ep, cmd = src.cfg.Config.Entrypoint, src.cfg.Config.Cmd
	}
	if entrypointSet {
		ep, cmd = nil, nil
		if entrypoint != "" {
			ep = []string{entrypoint}
		}
	}
	if len(args) > 0 {
		cmd = args
	}
	return append(append([]string{}, ep...), cmd...)
}

func newPullCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "pull NAME[:TAG|@DIGEST]",
		Short: "Download an image from a registry",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := images.OpenStore(g.root)
			if err == nil {
				progress, done := newPullProgress(cmd.OutOrStdout())
				_, err = store.Pull(context.Background(), args[0], progress)
				done()
			}
			return failed(err)
		},
	}
}

func newImagesCommand(g *globalOptions) *cobra.Command {
	var o imagesOptions
	cmd := &cobra.Command{
		Use:   "images [OPTIONS]",
		Short: "List images",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := images.OpenStore(g.root)
			if err != nil {
				return withStatus(1, err)
			}
			recs, err := store.Records()
			if err == nil {
				if !o.all {
					recs = withoutIntermediates(store, recs)
				}
				err = printImages(cmd.OutOrStdout(), recs, o)
			}
			return failed(err)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&o.quiet, "quiet", "q", false, "only show image IDs")
	f.BoolVarP(&o.all, "all", "a", false, "show all images, the intermediate ones of builds too")
	f.BoolVar(&o.digests, "digests", false, "show digests")
	f.StringVar(&o.format, "format", "", "format each image with a Go template, such as {{.Repository}}:{{.Tag}}")
	return cmd
}

// withoutIntermediates leaves out the untagged images that are only steps
// of builds (step 06).
func withoutIntermediates(store *images.Store, recs []*images.Record) []*images.Record {
	steps := dockerfile.Intermediate(store)
	var out []*images.Record
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
}

// imageRow is one line of mini images; its fields are Docker's --format
// names.
type imageRow struct {
	Repository, Tag, ID, Digest, CreatedSince, CreatedAt, Size string
}

// printImages writes Docker's columns: one row per tag, or <none> for an
// image without one.
func printImages(w io.Writer, recs []*images.Record, o imagesOptions) error {
	var tmpl *template.Template
	if o.format != "" {
		var err error
		if tmpl, err = parseFormat(o.format); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	defer tw.Flush()
	switch {
	case tmpl != nil || o.quiet:
	case o.digests:
		fmt.Fprintln(tw, "REPOSITORY\tTAG\tDIGEST\tIMAGE ID\tCREATED\tSIZE")
	default:
		fmt.Fprintln(tw, "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE")
	}
	for _, r := range recs {
		for _, row := range imageRows(r) {
			var err error
			switch {
			case tmpl != nil:
				err = tmpl.Execute(tw, row)
			case o.quiet:
				_, err = fmt.Fprintln(tw, row.ID)
			case o.digests:
				_, err = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", row.Repository, row.Tag, row.Digest, row.ID, row.CreatedSince, row.Size)
			default:
				_, err = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", row.Repository, row.Tag, row.ID, row.CreatedSince, row.Size)
			}
			if err != nil {
				return err
			}
			if o.quiet {
				break // one ID per image, however many names
			}
		}
	}
	return nil
}

func imageRows(r *images.Record) []imageRow {
	tags := r.RepoTags
	if len(tags) == 0 {
		tags = []string{"<none>:<none>"}
	}
	digest := "<none>"
	if len(r.RepoDigests) > 0 {
		_, digest, _ = strings.Cut(r.RepoDigests[0], "@")
	}
	var rows []imageRow
	for _, t := range tags {
		i := strings.LastIndex(t, ":")
		rows = append(rows, imageRow{Repository: t[:i], Tag: t[i+1:], ID: strings.TrimPrefix(r.ID, "sha256:")[:12],
			Digest: digest, CreatedSince: ago(r.Created), CreatedAt: r.Created.Format(time.RFC3339), Size: decimalSize(r.Size)})
	}
	return rows
}

// ago writes a time as Docker's CREATED column does: "3 days ago".
func ago(t time.Time) string { return humanDuration(time.Since(t)) + " ago" }

// humanDuration writes a duration as Docker does ("Up 5 seconds",
// "About an hour", "3 weeks").
func humanDuration(d time.Duration) string {
	s := int(d.Seconds())
	switch {
	case s < 1:
		return "Less than a second"
	case s == 1:
		return "1 second"
	case s < 60:
		return fmt.Sprintf("%d seconds", s)
	case d.Minutes() < 2:
		return "About a minute"
	case d.Minutes() < 60:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	case d.Hours() < 2:
		return "About an hour"
	case d.Hours() < 48:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	case d.Hours() < 24*7*2:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d.Hours() < 24*30*2:
		return fmt.Sprintf("%d weeks", int(d.Hours()/24/7))
	case d.Hours() < 24*365*2:
		return fmt.Sprintf("%d months", int(d.Hours()/24/30))
	}
	return fmt.Sprintf("%d years", int(d.Hours()/24/365))
}

// decimalSize writes a size in Docker's decimal units: 4.26MB.
func decimalSize(n int64) string {
	return humanSize(float64(n), 1000, []string{"B", "kB", "MB", "GB", "TB"}, "%.3g")
}
