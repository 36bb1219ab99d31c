// Command dockercorpus records what Docker's classic builder makes of each
// Dockerfile of the build corpus (testdata/06-dockerfile/corpus/NAME), as
// NAME/want.json: the files each build added to its base, its config, its
// history (internal/imagefacts). The grader's corpus command builds the
// same with mini and compares, so the tests need no Docker; anyone with a
// Docker daemon can record again:
//
//	DOCKER_HOST=unix:///path/docker.sock go run ./tools/dockercorpus [NAME...]
//
// The base is the tests' own fixture image (internal/fixture), loaded into
// Docker as corpus-base, so both builders start from the same layers.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"mini/internal/fixture"
	"mini/internal/imagefacts"
)

const corpus = "testdata/06-dockerfile/corpus"

func main() {
	if err := record(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "dockercorpus:", err)
		os.Exit(1)
	}
}

func record(only []string) error {
	tmp, err := os.MkdirTemp("", "dockercorpus-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	base := filepath.Join(tmp, "base.tar")
	if err := loadBase(base); err != nil {
		return err
	}
	names := only
	if len(names) == 0 {
		dirs, _ := filepath.Glob(filepath.Join(corpus, "*", "Dockerfile"))
		for _, d := range dirs {
			names = append(names, filepath.Base(filepath.Dir(d)))
		}
	}
	for _, n := range names {
		if err := recordOne(tmp, base, n); err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		fmt.Println("recorded", n)
	}
	return nil
}

// loadBase loads the fixture image into Docker as corpus-base, and saves
// it back as Docker has it.
func loadBase(out string) error {
	img, err := fixture.BusyboxImage()
	if err != nil {
		return err
	}
	tag, _ := name.NewTag("corpus-base:latest")
	if err := tarball.WriteToFile(out, tag, img); err != nil {
		return err
	}
	return docker("load", "-q", "-i", out)
}

// recordOne builds the entry with Docker's classic builder and writes
// its facts. The context is a copy without want.json, as the grader
// builds it.
func recordOne(tmp, base, n string) error {
	ctx := filepath.Join(tmp, n)
	if err := exec.Command("cp", "-a", filepath.Join(corpus, n), ctx).Run(); err != nil {
		return err
	}
	os.Remove(filepath.Join(ctx, "want.json"))
	tag := "corpus-" + n
	if err := docker("build", "-q", "-t", tag, "--build-arg", "BASE=corpus-base", ctx); err != nil {
		return err
	}
	defer docker("rmi", "-f", tag)
	saved := filepath.Join(tmp, n+".tar")
	if err := docker("save", "-o", saved, tag); err != nil {
		return err
	}
	facts, err := imagefacts.Compare(saved, base)
	if err != nil {
		return err
	}
	data, _ := json.MarshalIndent(facts, "", "  ")
	return os.WriteFile(filepath.Join(corpus, n, "want.json"), append(data, '\n'), 0o644)
}

func docker(args ...string) error {
	cmd := exec.Command("docker", args...)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}
