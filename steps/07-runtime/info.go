// What this machine offers a container runtime, and what the runtime
// holds: mini info. The shape is the Engine API's /info (system.Info), so
// that info --format reads the fields docker info --format reads
// ({{.CgroupVersion}}, {{.ContainersRunning}}...), with the few facts a
// student checks first (the cgroup layout, the namespaces, overlayfs)
// beside them.

package runtime

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/docker/docker/api/types/system"
	"golang.org/x/sys/unix"

	cgroups "mini/steps/02-cgroups"
	"mini/steps/04-images/imagestore"
	"mini/steps/07-runtime/supervisor"
)

// Info is Docker's system.Info and mini's own facts.
type Info struct {
	system.Info
	CgroupLayout string   // unified, hybrid or legacy (step 02)
	Namespaces   []string // the kinds /proc/self/ns has (step 01)
	Overlay      string   // whether the kernel has overlayfs (step 03)
}

// Info reads the machine and the state root. version is mini's release.
func (rt *Runtime) Info(version string) (*Info, error) {
	layout, err := cgroups.DetectLayout()
	if err != nil {
		return nil, err
	}
	var uts unix.Utsname
	unix.Uname(&uts)
	in := &Info{CgroupLayout: layout.String(), Namespaces: namespaceKinds(), Overlay: overlaySupport()}
	i := &in.Info
	i.ServerVersion, i.OSType, i.DockerRootDir = version, "linux", rt.Root
	i.KernelVersion = unix.ByteSliceToString(uts.Release[:])
	i.Architecture = unix.ByteSliceToString(uts.Machine[:])
	i.OperatingSystem, i.OSVersion = osRelease("PRETTY_NAME"), osRelease("VERSION_ID")
	i.NCPU, i.MemTotal = runtime.NumCPU(), memTotal()
	i.Name, _ = os.Hostname()
	i.Driver, i.DriverStatus = "overlay", [][2]string{{"Backing Filesystem", backingFilesystem(rt.Root)}}
	i.LoggingDriver, i.CgroupDriver = "json-file", "cgroupfs"
	i.CgroupVersion = map[int]string{1: "1", 2: "2"}[layout.Version()]
	i.MemoryLimit, i.PidsLimit, i.CPUSet = layout.Has("memory"), layout.Has("pids"), layout.Has("cpuset")
	i.CPUShares, i.CPUCfsQuota, i.CPUCfsPeriod = layout.Has("cpu"), layout.Has("cpu"), layout.Has("cpu")
	i.SwapLimit = i.MemoryLimit
	i.IPv4Forwarding = readFile("/proc/sys/net/ipv4/ip_forward") == "1"
	i.SecurityOptions = securityOptions()
	i.DefaultRuntime, i.SystemTime = "mini", time.Now().Format(time.RFC3339Nano)
	rt.countContainers(i)
	recs, _ := imagestore.Peek(rt.Root).Records()
	i.Images = len(recs)
	return in, nil
}

// countContainers fills in how many containers there are, in each state.
func (rt *Runtime) countContainers(i *system.Info) {
	all, _ := rt.List()
	for _, c := range all {
		i.Containers++
		switch c.State().Status {
		case supervisor.StatusRunning, supervisor.StatusRestarting:
			i.ContainersRunning++
		case supervisor.StatusPaused:
			i.ContainersPaused++
		default:
			i.ContainersStopped++
		}
	}
}

// securityOptions is what confines a container by default, in Docker's
// words: seccomp with Docker's default profile, where the kernel has
// seccomp filters.
func securityOptions() []string {
	if _, err := unix.PrctlRetInt(unix.PR_GET_SECCOMP, 0, 0, 0, 0); err != nil {
		return nil
	}
	return []string{"name=seccomp,profile=default"}
}

// osRelease is one field of /etc/os-release.
func osRelease(key string) string {
	f, err := os.Open("/etc/os-release")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key+"="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

// memTotal is the machine's memory in bytes.
func memTotal() int64 {
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) != nil {
		return 0
	}
	return int64(si.Totalram) * int64(si.Unit)
}

// backingFilesystem names the filesystem under the state root, where the
// overlays' upper directories live: overlayfs refuses some as upper.
func backingFilesystem(root string) string {
	var st unix.Statfs_t
	dir := root
	for unix.Statfs(dir, &st) != nil { // the root may not exist yet
		if dir == "/" {
			return "unknown"
		}
		dir = filepath.Dir(dir)
	}
	names := map[int64]string{unix.EXT4_SUPER_MAGIC: "extfs", unix.XFS_SUPER_MAGIC: "xfs", unix.BTRFS_SUPER_MAGIC: "btrfs",
		unix.TMPFS_MAGIC: "tmpfs", unix.OVERLAYFS_SUPER_MAGIC: "overlayfs"}
	if n, ok := names[int64(st.Type)]; ok {
		return n
	}
	return "unknown"
}

// overlaySupport says whether the kernel has overlayfs loaded. It may be
// a module not loaded yet; mounting one loads it.
func overlaySupport() string {
	if strings.Contains(readFile("/proc/filesystems")+"\n", "\toverlay\n") {
		return "supported"
	}
	return "not loaded (try: modprobe overlay)"
}

// namespaceKinds lists the namespaces this kernel has, from /proc/self/ns.
func namespaceKinds() []string {
	entries, err := os.ReadDir("/proc/self/ns")
	if err != nil {
		return nil
	}
	var kinds []string
	for _, e := range entries {
		kinds = append(kinds, e.Name())
	}
	return kinds
}

// readFile is a small file's content, trimmed; "" when it cannot be read.
func readFile(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}
