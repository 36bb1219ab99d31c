// The job: everything the supervisor needs to start a container, and
// start it again, without asking the CLI.

package supervisor

import (
	"encoding/json"
	"fmt"
	"os"

	namespaces "mini/steps/01-namespaces"
	cgroups "mini/steps/02-cgroups"
	"mini/steps/07-runtime/store"
)

// Job is job.json, written by the CLI when it creates the container.
type Job struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Image string `json:"image,omitempty"` // for events
	Root  string `json:"root"`            // mini's state root
	// Spec is the container, its root filesystem mount included. The
	// cgroup's mounts and join files are added at each start.
	Spec       namespaces.Spec `json:"spec"`
	InitBinary string          `json:"init_binary,omitempty"`
	Cgroup     *CgroupJob      `json:"cgroup,omitempty"` // nil: --cgroups disabled
	Network    *NetworkJob     `json:"network,omitempty"`
	Restart    RestartPolicy   `json:"restart"`
	// AutoRemove (--rm) removes the container, and the directories in
	// RemoveWith (its anonymous volumes), once it has exited for good.
	AutoRemove bool     `json:"auto_remove,omitempty"`
	RemoveWith []string `json:"remove_with,omitempty"`
	// OpenStdin (-i) gives the container a stdin that attach clients write
	// to; with StdinOnce it is closed when the first client's input ends
	// (docker run -i without -d).
	OpenStdin bool `json:"open_stdin,omitempty"`
	StdinOnce bool `json:"stdin_once,omitempty"`
	// Builder is the mini build whose RUN this container is: it goes
	// when that build goes (builder.go).
	Builder *Process `json:"builder,omitempty"`
	// Labels are the container's, for its events' attributes.
	Labels map[string]string `json:"labels,omitempty"`
	// Log is how the log is rotated (logrotate.go); nil: never.
	Log *LogOptions `json:"log,omitempty"`
}

func (j *Job) logOptions() LogOptions {
	if j.Log == nil {
		return LogOptions{}
	}
	return *j.Log
}

// CgroupJob is the container's group: where, and with which limits.
type CgroupJob struct {
	Parent    string            `json:"parent"`
	Resources cgroups.Resources `json:"resources"`
	Memory    string            `json:"memory,omitempty"` // the -m given, for the OOM message
	// DefaultDevices stands for step 02's DefaultDeviceRules as
	// Resources.Devices: every container's but a privileged one's, and
	// not worth a record's spelling out.
	DefaultDevices bool `json:"default_devices,omitempty"`
}

// resources are the group's limits, its device rules filled in.
func (cg *CgroupJob) resources() *cgroups.Resources {
	r := cg.Resources
	if cg.DefaultDevices {
		r.Devices = cgroups.DefaultDeviceRules
	}
	return &r
}

// RestartPolicy is --restart: "no", "on-failure" (at most MaxRetries
// restarts when MaxRetries > 0), "always" or "unless-stopped".
type RestartPolicy struct {
	Name       string `json:"name"`
	MaxRetries int    `json:"max_retries,omitempty"`
}

// Dir is the container's directory.
func (j *Job) Dir() store.Dir { return store.Container(j.Root, j.ID) }

// ReadJob reads the job in a container's record: the record holds a Job
// and what only the CLI needs besides (steps/07-runtime's Record).
func ReadJob(dir store.Dir) (*Job, error) {
	data, err := os.ReadFile(dir.Record())
	if err != nil {
		return nil, fmt.Errorf("read container record: %w", err)
	}
	var j Job
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("read %s: %w", dir.Record(), err)
	}
	return &j, nil
}
