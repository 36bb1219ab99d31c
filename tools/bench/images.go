// Stage 04's figures: pulling a 200 MB multi-layer image from a registry on
// loopback into an empty store, beside skopeo copying the same image. (mini
// run --rm IMAGE true is timed beside runc in main.go.)

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
)

// imageBench pushes a big image to a loopback registry and times pulls.
func imageBench(dir, mini string) error {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	if err := pushBig(host); err != nil {
		return err
	}
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

// pushBig pushes a 200 MB image of random (incompressible) layers.
func pushBig(host string) error {
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
	ref, _ := name.ParseReference(host + "/big:latest")
	return remote.Write(ref, big)
}
