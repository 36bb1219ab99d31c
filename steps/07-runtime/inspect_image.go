// Inspect of an image: docker image inspect's answer, in the Engine API
// 1.41 shape (Docker 20.10's): its Config and ContainerConfig are the
// container Config type, as the image's config JSON spells them.

package runtime

import (
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/storage"

	"mini/steps/04-images/imagestore"
)

// ImageInspect is docker image inspect's object.
type ImageInspect struct {
	ID              string `json:"Id"`
	RepoTags        []string
	RepoDigests     []string
	Parent          string
	Comment         string
	Created         string
	Container       string
	ContainerConfig *container.Config
	DockerVersion   string
	Author          string
	Config          *container.Config
	Architecture    string
	Os              string
	Size            int64
	VirtualSize     int64
	GraphDriver     storage.DriverData
	RootFS          struct {
		Type   string
		Layers []string
	}
	Metadata struct{ LastTagTime string }
}

// imageConfigFile is the image's config JSON, as much as inspect shows.
type imageConfigFile struct {
	Author          string            `json:"author"`
	Architecture    string            `json:"architecture"`
	OS              string            `json:"os"`
	Container       string            `json:"container"`
	DockerVersion   string            `json:"docker_version"`
	Config          *container.Config `json:"config"`
	ContainerConfig *container.Config `json:"container_config"`
	History         []struct {
		Comment string `json:"comment"`
	} `json:"history"`
}

// InspectImage describes an image of the store.
func InspectImage(store *imagestore.Store, rec *imagestore.Record) (*ImageInspect, error) {
	var cfg imageConfigFile
	if err := DecodeImageConfig(store, rec, &cfg); err != nil {
		return nil, err
	}
	ii := &ImageInspect{ID: rec.ID, RepoTags: orEmpty(rec.RepoTags), RepoDigests: orEmpty(rec.RepoDigests),
		Created: apiTime(rec.Created), Container: cfg.Container, DockerVersion: cfg.DockerVersion, Author: cfg.Author,
		Config: cfg.Config, ContainerConfig: cfg.ContainerConfig, Architecture: cfg.Architecture, Os: cfg.OS,
		Size: rec.Size, VirtualSize: rec.Size,
		GraphDriver: storage.DriverData{Name: "overlay", Data: map[string]string{"LowerDir": strings.Join(store.LowerDirs(rec), ":")}}}
	if ii.Config == nil {
		ii.Config = &container.Config{}
	}
	if ii.ContainerConfig == nil {
		ii.ContainerConfig = &container.Config{}
	}
	if n := len(cfg.History); n > 0 {
		ii.Comment = cfg.History[n-1].Comment
	}
	ii.RootFS.Type, ii.RootFS.Layers = "layers", rec.DiffIDs
	ii.Metadata.LastTagTime = apiTime(time.Time{})
	return ii, nil
}
