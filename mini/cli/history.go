// docker history, daemonless or as a daemon's client: the image's steps,
// newest first, in Docker's table.

package cli

import (
	"strings"
	"time"

	"github.com/docker/docker/api/types/image"
	"github.com/spf13/cobra"
)

// HistoryCommand is the history command, whose steps get gives: the
// runtime's, or a daemon's.
func HistoryCommand(get func(ref string) ([]image.HistoryResponseItem, error)) *cobra.Command {
	var noTrunc, quiet bool
	var format string
	cmd := &cobra.Command{
		Use: "history [OPTIONS] IMAGE", Short: "Show how an image was made", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			items, err := get(args[0])
			if err != nil {
				return WithStatus(1, err)
			}
			return Failed(Print(cmd.OutOrStdout(), historyListing, format, quiet, historyRows(items, noTrunc)))
		},
	}
	f := cmd.Flags()
	f.BoolVar(&noTrunc, "no-trunc", false, "do not truncate the output")
	f.BoolVarP(&quiet, "quiet", "q", false, "only show image IDs")
	f.StringVar(&format, "format", "", "format the list: table, json, or a Go template such as {{.CreatedBy}}: {{.Size}}")
	return cmd
}

// historyRow is one step of an image's history; its fields are docker
// history's --format names.
type historyRow struct {
	ID, CreatedSince, CreatedAt, CreatedBy, Size, Comment string
}

// historyRows are the steps as docker history shows them: IDs and
// commands shortened unless noTrunc, sizes and times for people.
func historyRows(items []image.HistoryResponseItem, noTrunc bool) []historyRow {
	var rows []historyRow
	for _, h := range items {
		id := strings.TrimPrefix(h.ID, "sha256:")
		if !noTrunc && id != "<missing>" {
			id = id[:12]
		}
		by := h.CreatedBy
		if !noTrunc && len(by) > 45 {
			by = by[:44] + "…"
		}
		created := time.Unix(h.Created, 0)
		rows = append(rows, historyRow{ID: id, CreatedSince: Ago(created), CreatedAt: created.Format(time.RFC3339),
			CreatedBy: by, Size: DecimalSize(h.Size), Comment: h.Comment})
	}
	return rows
}

// historyListing is docker history's table and the header of each field.
var historyListing = Listing{
	Table: "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}",
	Quiet: "{{.ID}}",
	Headers: map[string]string{"ID": "IMAGE", "CreatedSince": "CREATED", "CreatedAt": "CREATED AT",
		"CreatedBy": "CREATED BY", "Size": "SIZE", "Comment": "COMMENT"},
}
