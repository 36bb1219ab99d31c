// The listings mini prints, daemonless or as a daemon's client
// (mini/remote): each row's fields are Docker's --format names (and
// --format json prints them all, as Docker does), each Listing Docker's
// table and the header of each field.

package cli

// PsRow is one line of ps.
type PsRow struct {
	ID, Image, Command, CreatedAt, RunningFor, Status, State, Ports, Names string
	Labels, Mounts, Networks, LocalVolumes, Size                           string
	LabelMap                                                               map[string]string `json:"-"`
}

// Label is {{.Label "KEY"}}: the value of one label.
func (r PsRow) Label(key string) string { return r.LabelMap[key] }

// PsListing is Docker's ps table.
var PsListing = Listing{
	Table: "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}",
	Quiet: "{{.ID}}",
	Headers: map[string]string{"ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "CreatedAt": "CREATED AT",
		"RunningFor": "CREATED", "Status": "STATUS", "State": "STATE", "Ports": "PORTS", "Names": "NAMES",
		"Labels": "LABELS", "Mounts": "MOUNTS", "Networks": "NETWORKS", "LocalVolumes": "LOCAL VOLUMES", "Size": "SIZE"},
}

// ImageRow is one line of images: one name of an image.
type ImageRow struct {
	Containers, CreatedAt, CreatedSince, Digest, ID, Repository, SharedSize, Size, Tag, UniqueSize, VirtualSize string
}

// ImagesListing is Docker's images table.
var ImagesListing = Listing{
	Table: "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}",
	Quiet: "{{.ID}}",
	Headers: map[string]string{"Repository": "REPOSITORY", "Tag": "TAG", "Digest": "DIGEST", "ID": "IMAGE ID",
		"CreatedSince": "CREATED", "CreatedAt": "CREATED AT", "Size": "SIZE", "Containers": "CONTAINERS",
		"VirtualSize": "VIRTUAL SIZE", "SharedSize": "SHARED SIZE", "UniqueSize": "UNIQUE SIZE"},
}

// NetworkRow is one line of network ls.
type NetworkRow struct {
	ID, Name, Driver, Scope, IPv6, Internal, Labels, CreatedAt string
}

// NetworkListing is Docker's network ls table.
var NetworkListing = Listing{
	Table: "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}",
	Quiet: "{{.ID}}",
	Headers: map[string]string{"ID": "NETWORK ID", "Name": "NAME", "Driver": "DRIVER", "Scope": "SCOPE",
		"IPv6": "IPV6", "Internal": "INTERNAL", "Labels": "LABELS", "CreatedAt": "CREATED AT"},
}

// VolumeRow is one line of volume ls.
type VolumeRow struct {
	Driver, Name, Scope, Mountpoint, Labels, Links, Size string
}

// VolumeListing is Docker's volume ls table: -q gives the names.
var VolumeListing = Listing{
	Table: "table {{.Driver}}\t{{.Name}}",
	Quiet: "{{.Name}}",
	Headers: map[string]string{"Driver": "DRIVER", "Name": "VOLUME NAME", "Scope": "SCOPE",
		"Mountpoint": "MOUNTPOINT", "Labels": "LABELS", "Links": "LINKS", "Size": "SIZE"},
}

// StatsRow is one container's reading in stats. mini reads neither
// network nor block I/O, so it has no NetIO or BlockIO column.
type StatsRow struct {
	Container, ID, Name, CPUPerc, MemUsage, MemPerc, PIDs string
}

// StatsListing is Docker's stats table.
var StatsListing = Listing{
	Table: "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.PIDs}}",
	Quiet: "{{.ID}}",
	Headers: map[string]string{"Container": "CONTAINER", "ID": "CONTAINER ID", "Name": "NAME", "CPUPerc": "CPU %",
		"MemUsage": "MEM USAGE / LIMIT", "MemPerc": "MEM %", "PIDs": "PIDS"},
}
