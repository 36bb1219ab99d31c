// mini rename: give a container another name. Names are unique: the check
// and the change happen under the store's lock.

package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"mini/steps/07-runtime/supervisor"
)

func newRenameCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use: "rename CONTAINER NEW_NAME", Short: "Rename a container", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return failed(renameContainer(g.root, args[0], args[1]))
		},
	}
}

func renameContainer(root, ref, name string) error {
	if !volumeName.MatchString(name) {
		return fmt.Errorf("invalid container name %q: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name)
	}
	return withStoreLock(root, func() error {
		c, err := findContainer(root, ref)
		if err != nil {
			return err
		}
		if c.cfg.Name == name {
			return fmt.Errorf("renaming a container with the same name as its current name")
		}
		if other := namedContainer(root, name); other != nil {
			return fmt.Errorf("the container name %q is already in use by container %s: remove it (mini rm) to reuse the name", name, other.cfg.ID[:12])
		}
		old := c.cfg.Name
		c.cfg.Name = name
		if err := writeJSON(filepath.Join(c.dir, "config.json"), &c.cfg); err != nil {
			return err
		}
		if job, err := supervisor.ReadJob(c.dir); err == nil { // for its next start
			job.Name = name
			supervisor.WriteJob(job)
		}
		supervisor.LogEvent(root, "rename", c.cfg.ID, withAttr(eventAttrs(c), "oldName", old))
		return nil
	})
}
