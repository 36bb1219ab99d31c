// Images, networks and volumes as a client, and the daemon's version and
// information.

package remote

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"github.com/spf13/cobra"

	"mini/mini/cli"
	images "mini/steps/04-images"
)

func (r *remote) objectCommands() []*cobra.Command {
	var force bool
	rmi := &cobra.Command{Use: "rmi [OPTIONS] IMAGE [IMAGE...]", Short: "Remove one or more images", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, ref := range args {
				removed, err := r.c.ImageRemove(r.ctx, ref, image.RemoveOptions{Force: force, PruneChildren: true})
				if err != nil {
					return cli.Failed(err)
				}
				for _, d := range removed {
					if d.Untagged != "" {
						fmt.Fprintln(cmd.OutOrStdout(), "Untagged:", d.Untagged)
					} else {
						fmt.Fprintln(cmd.OutOrStdout(), "Deleted:", d.Deleted)
					}
				}
			}
			return nil
		}}
	rmi.Flags().BoolVarP(&force, "force", "f", false, "remove the image even if containers use it")
	return []*cobra.Command{r.imagesCommand(), rmi,
		{Use: "pull NAME[:TAG|@DIGEST]", Short: "Download an image from a registry", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error { return cli.Failed(r.pull(args[0], cmd.OutOrStdout())) }},
		{Use: "push NAME[:TAG]", Short: "Upload an image to a registry", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error { return cli.Failed(r.push(args[0], cmd.OutOrStdout())) }},
		{Use: "tag SOURCE_IMAGE TARGET_IMAGE[:TAG]", Short: "Give an image another name", Args: cobra.ExactArgs(2),
			RunE: func(_ *cobra.Command, args []string) error {
				return cli.Failed(r.c.ImageTag(r.ctx, args[0], args[1]))
			}},
		r.networkCommand(), r.volumeCommand(), r.versionCommand(), r.infoCommand(),
	}
}

func (r *remote) push(ref string, out io.Writer) error {
	body, err := r.c.ImagePush(r.ctx, ref, image.PushOptions{RegistryAuth: images.ClientAuth(ref)})
	if err != nil {
		return err
	}
	return showProgress(body, out)
}

func (r *remote) imagesCommand() *cobra.Command {
	var quiet, noTrunc bool
	var format string
	cmd := &cobra.Command{Use: "images [OPTIONS]", Short: "List images", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			list, err := r.c.ImageList(r.ctx, image.ListOptions{})
			if err != nil {
				return cli.Failed(err)
			}
			var rows []cli.ImageRow
			for _, img := range list {
				rows = append(rows, imageRows(img, noTrunc)...)
			}
			return cli.Failed(cli.Print(cmd.OutOrStdout(), cli.ImagesListing, format, quiet, rows))
		}}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "only show image IDs")
	cmd.Flags().BoolVar(&noTrunc, "no-trunc", false, "do not truncate output")
	cmd.Flags().StringVar(&format, "format", "", "format the list: table, json, or a Go template such as {{.Repository}}")
	return cmd
}

// imageRows are an image's lines: one per name, or one <none>.
func imageRows(img image.Summary, noTrunc bool) []cli.ImageRow {
	created := time.Unix(img.Created, 0)
	base := cli.ImageRow{ID: short(img.ID, noTrunc), CreatedSince: cli.Ago(created), CreatedAt: cli.LocalTime(created),
		Size: cli.DecimalSize(img.Size), Repository: "<none>", Tag: "<none>", Digest: "<none>"}
	if noTrunc {
		base.ID = img.ID
	}
	var rows []cli.ImageRow
	for _, name := range img.RepoTags {
		row := base
		i := strings.LastIndexByte(name, ':')
		row.Repository, row.Tag = name[:i], name[i+1:]
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		rows = append(rows, base)
	}
	return rows
}

func (r *remote) networkCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "network", Short: "Manage networks"}
	var subnet, gateway, driver, format string
	var quiet bool
	create := &cobra.Command{Use: "create [OPTIONS] NETWORK", Short: "Create a network", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := network.CreateOptions{Driver: driver}
			if subnet != "" {
				o.IPAM = &network.IPAM{Config: []network.IPAMConfig{{Subnet: subnet, Gateway: gateway}}}
			}
			made, err := r.c.NetworkCreate(r.ctx, args[0], o)
			if err != nil {
				return cli.Failed(err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), made.ID)
			return nil
		}}
	create.Flags().StringVar(&subnet, "subnet", "", "the network's subnet, in CIDR form")
	create.Flags().StringVar(&gateway, "gateway", "", "the subnet's gateway")
	create.Flags().StringVarP(&driver, "driver", "d", "bridge", "the network's driver")
	ls := &cobra.Command{Use: "ls [OPTIONS]", Aliases: []string{"list"}, Short: "List networks", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			list, err := r.c.NetworkList(r.ctx, network.ListOptions{})
			if err != nil {
				return cli.Failed(err)
			}
			var rows []cli.NetworkRow
			for _, n := range list {
				rows = append(rows, cli.NetworkRow{ID: short(n.ID, false), Name: n.Name, Driver: n.Driver, Scope: n.Scope,
					IPv6: fmt.Sprint(n.EnableIPv6), Internal: fmt.Sprint(n.Internal), CreatedAt: cli.LocalTime(n.Created)})
			}
			return cli.Failed(cli.Print(cmd.OutOrStdout(), cli.NetworkListing, format, quiet, rows))
		}}
	ls.Flags().BoolVarP(&quiet, "quiet", "q", false, "only display network IDs")
	ls.Flags().StringVar(&format, "format", "", "format the list: table, json, or a Go template such as {{.Name}}")
	rm := &cobra.Command{Use: "rm NETWORK [NETWORK...]", Aliases: []string{"remove"}, Short: "Remove one or more networks",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return each(cmd, args, func(n string) error { return r.c.NetworkRemove(r.ctx, n) })
		}}
	cmd.AddCommand(create, ls, rm)
	cmd.AddCommand(r.networkMoreCommands()...) // more.go
	return cmd
}

func (r *remote) volumeCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "volume", Short: "Manage volumes"}
	var quiet, force bool
	var format string
	create := &cobra.Command{Use: "create [VOLUME]", Short: "Create a volume", Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			v, err := r.c.VolumeCreate(r.ctx, volume.CreateOptions{Name: name})
			if err != nil {
				return cli.Failed(err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), v.Name)
			return nil
		}}
	ls := &cobra.Command{Use: "ls [OPTIONS]", Aliases: []string{"list"}, Short: "List volumes", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			list, err := r.c.VolumeList(r.ctx, volume.ListOptions{})
			if err != nil {
				return cli.Failed(err)
			}
			var rows []cli.VolumeRow
			for _, v := range list.Volumes {
				rows = append(rows, cli.VolumeRow{Driver: v.Driver, Name: v.Name, Scope: v.Scope, Mountpoint: v.Mountpoint, Size: "N/A"})
			}
			return cli.Failed(cli.Print(cmd.OutOrStdout(), cli.VolumeListing, format, quiet, rows))
		}}
	ls.Flags().BoolVarP(&quiet, "quiet", "q", false, "only display volume names")
	ls.Flags().StringVar(&format, "format", "", "format the list: table, json, or a Go template such as {{.Name}}")
	rm := &cobra.Command{Use: "rm [OPTIONS] VOLUME [VOLUME...]", Aliases: []string{"remove"}, Short: "Remove one or more volumes",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return each(cmd, args, func(v string) error { return r.c.VolumeRemove(r.ctx, v, force) })
		}}
	rm.Flags().BoolVarP(&force, "force", "f", false, "remove it even if it is in use")
	var iformat string
	inspect := &cobra.Command{Use: "inspect [OPTIONS] VOLUME [VOLUME...]", Short: "Display detailed information on volumes", Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return printRaw(cmd, args, iformat, func(name string) ([]byte, error) {
				_, raw, err := r.c.VolumeInspectWithRaw(r.ctx, name)
				return raw, err
			})
		}}
	inspect.Flags().StringVarP(&iformat, "format", "f", "", "format each volume with a Go template")
	cmd.AddCommand(create, ls, rm, inspect, r.volumePrune())
	return cmd
}

// versionCommand is version as a client: mini's, and the daemon's.
func (r *remote) versionCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{Use: "version", Short: "Show the version of mini and of the daemon", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			server, err := r.c.ServerVersion(r.ctx)
			if err != nil {
				return cli.Failed(err)
			}
			v := struct {
				Client struct{ Version, APIVersion, GoVersion, Os, Arch string }
				Server any
			}{Server: server}
			v.Client.Version, v.Client.APIVersion, v.Client.GoVersion = cli.Version, r.c.ClientVersion(), runtime.Version()
			v.Client.Os, v.Client.Arch = runtime.GOOS, runtime.GOARCH
			if format != "" {
				return cli.Failed(cli.PrintFormatted(cmd.OutOrStdout(), format, v))
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Client: mini\n Version:           %s\n API version:       %s\n Go version:        %s\n OS/Arch:           %s/%s\n\n",
				v.Client.Version, v.Client.APIVersion, v.Client.GoVersion, v.Client.Os, v.Client.Arch)
			fmt.Fprintf(w, "Server: %s\n Engine:\n  Version:          %s\n  API version:      %s (minimum version %s)\n  Go version:       %s\n  OS/Arch:          %s/%s\n",
				server.Platform.Name, server.Version, server.APIVersion, server.MinAPIVersion, server.GoVersion, server.Os, server.Arch)
			return nil
		}}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format the output: json, or a Go template such as {{.Server.Version}}")
	return cmd
}

// infoCommand is info as a client: the daemon's information.
func (r *remote) infoCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{Use: "info", Short: "Display system-wide information", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info, err := r.c.Info(r.ctx)
			if err != nil {
				return cli.Failed(err)
			}
			if format != "" {
				return cli.Failed(cli.PrintFormatted(cmd.OutOrStdout(), format, info))
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Server (%s):\n Containers: %d\n  Running: %d\n  Paused: %d\n  Stopped: %d\n Images: %d\n Server Version: %s\n Storage Driver: %s\n Cgroup Driver: %s\n Cgroup Version: %s\n Kernel Version: %s\n Total Memory: %s\n Docker Root Dir: %s\n",
				r.host, info.Containers, info.ContainersRunning, info.ContainersPaused, info.ContainersStopped, info.Images,
				info.ServerVersion, info.Driver, info.CgroupDriver, info.CgroupVersion, info.KernelVersion,
				cli.HumanSize(float64(info.MemTotal), 1024, []string{"B", "KiB", "MiB", "GiB", "TiB"}, "%.4g"), info.DockerRootDir)
			return nil
		}}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format the output: json, or a Go template such as {{.ServerVersion}}")
	return cmd
}
