// Stage 04's figures: pulling a 200 MB multi-layer image from a registry on
// loopback into an empty store, beside skopeo copying the same image; and
// mini run --rm IMAGE true (the whole path: image, overlay, cgroup,
// namespaces) beside runc on the same root filesystem.

package main

import (
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"mini/internal/fixture"
)

// imageBench pushes the fixture image and a big one to a loopback registry
// and times pulls and runs.
func imageBench(dir, mini string, n int) error {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	if err := pushFixtures(host); err != nil {
		return err
	}
	root := filepath.Join(dir, "img-root")
	small := host + "/busybox:latest"
	if _, err := timeShell(fmt.Sprintf("%s --root %s pull %s", mini, root, small)); err != nil {
		return err
	}
	runs, err := timeCases([]benchCase{{"mini run --rm IMAGE", []string{mini, "--root", root, "run", "--rm", "--net", "none", small, "true"}}}, n)
	if err != nil {
		return err
	}
	d := runs[0]
	fmt.Printf("\n%-22s %9s (P10 %s, P90 %s; compare runc above)\n", "mini run --rm IMAGE", ms(d[len(d)/2]), ms(d[len(d)/10]), ms(d[len(d)*9/10]))

	big := host + "/big:latest"
	fmt.Printf("\n%-22s %9s   (200 MB in 4 layers, into an empty store; best of 3)\n", "PULL", "TIME")
	lines := [][2]string{{"mini pull", fmt.Sprintf("rm -rf %[1]s/pull-root && %[2]s --root %[1]s/pull-root pull %[3]s > /dev/null", dir, mini, big)}}
	if _, err := exec.LookPath("skopeo"); err == nil {
		lines = append(lines, [2]string{"skopeo copy", fmt.Sprintf("rm -rf %[1]s/skopeo && skopeo copy -q --src-tls-verify=false docker://%[2]s dir:%[1]s/skopeo", dir, big)})
	} else {
		fmt.Println("skopeo not installed (apt-get install skopeo): timing mini alone")
	}
	for _, l := range lines {
		best, err := bestOf3(l[1])
		if err != nil {
			return err
		}
		fmt.Printf("%-22s %9s\n", l[0], ms(best))
	}
	os.RemoveAll(filepath.Join(dir, "pull-root"))
	os.RemoveAll(filepath.Join(dir, "skopeo"))
	return nil
}

// pushFixtures pushes the busybox fixture, and a 200 MB image of random
// (incompressible) layers.
func pushFixtures(host string) error {
	img, err := fixture.BusyboxImage()
	if err != nil {
		return err
	}
	ref, _ := name.ParseReference(host + "/busybox:latest")
	if err := remote.Write(ref, img); err != nil {
		return err
	}
	big, err := random.Image(50<<20, 4)
	if err != nil {
		return err
	}
	cfg, _ := big.ConfigFile()
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", "amd64"
	if big, err = mutate.ConfigFile(big, cfg); err != nil {
		return err
	}
	ref, _ = name.ParseReference(host + "/big:latest")
	return remote.Write(ref, big)
}
