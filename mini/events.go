// mini events: what happened to containers (the runtime's Events). Without
// --until it follows the log until interrupted, as Docker does.

package main

import (
	"io"
	"text/template"
	"time"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
)

type eventsOptions struct {
	since, until, format string
	filters              []string
}

func newEventsCommand(g *cli.Options) *cobra.Command {
	var o eventsOptions
	cmd := &cobra.Command{
		Use: "events [OPTIONS]", Short: "Get real time events from containers", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.Failed(showEvents(cmd.OutOrStdout(), g.Root, o))
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.since, "since", "", "show events since a time (2026-01-02T15:04:05Z) or a duration ago (10m) (default: from now, or from the start with --until)")
	f.StringVar(&o.until, "until", "", "stop at a time or a duration ago (default: follow until interrupted)")
	f.StringArrayVarP(&o.filters, "filter", "f", nil, "filter: container=NAME|ID, event=ACTION, image=NAME, label=KEY[=VALUE], type=container")
	f.StringVar(&o.format, "format", "", "format each event: json, or a Go template such as {{.Action}} {{.Actor.Attributes.name}}")
	return cmd
}

func showEvents(w io.Writer, root string, o eventsOptions) error {
	since, until, err := cli.ParseTimes(o.since, o.until)
	if err != nil {
		return err
	}
	if o.since == "" && o.until == "" {
		since = time.Now() // following: only what happens from now on, as Docker's
	}
	match, err := runtime.EventFilter(o.filters)
	if err != nil {
		return err
	}
	var tmpl *template.Template
	if o.format != "" {
		if tmpl, err = cli.ParseFormat(o.format); err != nil {
			return err
		}
	}
	eo := runtime.EventsOptions{Since: since, Until: until, Match: match}
	return cli.Runtime(root).Events(eo, func(e *supervisor.Event) error {
		return cli.PrintEvent(w, tmpl, runtime.Message(e))
	})
}
