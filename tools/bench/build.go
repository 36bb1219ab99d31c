// Step 06's figure: a 10-instruction Dockerfile built cold (--no-cache)
// and again fully cached, beside Docker's classic builder when a Docker
// daemon answers (DOCKER_HOST), and beside buildah bud (Debian package
// buildah) when it is installed.

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

const benchDockerfile = `FROM bench-base
ENV GREETING=hello
WORKDIR /app
COPY data.txt ./
RUN echo "$GREETING" > /app/greeting.txt
RUN cat /app/data.txt /app/greeting.txt > /app/both.txt
EXPOSE 8080
LABEL bench=mini
USER 1000
CMD ["cat", "/app/both.txt"]
`

func buildBench(dir, mini, rootfs string) error {
	root := filepath.Join(dir, "build-root")
	ctx := filepath.Join(dir, "build-ctx")
	if err := os.MkdirAll(ctx, 0o755); err != nil {
		return err
	}
	os.WriteFile(filepath.Join(ctx, "Dockerfile"), []byte(benchDockerfile), 0o644)
	os.WriteFile(filepath.Join(ctx, "data.txt"), []byte("some data\n"), 0o644)
	tarball := filepath.Join(dir, "base.tar")
	if out, err := exec.Command("tar", "-cf", tarball, "-C", rootfs, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("tar: %v: %s", err, out)
	}
	os.Setenv("MINI_NETWORK", "none") // RUN's containers: no bridge for the bench
	if _, err := timeShell(fmt.Sprintf("%s --root %s import %s bench-base", mini, root, tarball)); err != nil {
		return err
	}
	fmt.Printf("\n%-28s %9s\n", "BUILD (10 instructions)", "BEST OF 3")
	cold, err := bestOf3(fmt.Sprintf("%s --root %s build -q --no-cache %s > /dev/null", mini, root, ctx))
	if err != nil {
		return err
	}
	cached, err := bestOf3(fmt.Sprintf("%s --root %s build -q %s > /dev/null", mini, root, ctx))
	if err != nil {
		return err
	}
	fmt.Printf("%-28s %9s\n", "mini build, cold", ms(cold))
	fmt.Printf("%-28s %9s   (target under 200ms)\n", "mini build, all cached", ms(cached))
	if err := dockerBuildBench(ctx, tarball, cold, cached); err != nil {
		return err
	}
	if _, err := exec.LookPath("buildah"); err != nil {
		fmt.Println("buildah not installed (apt-get install buildah): timing mini alone")
		return nil
	}
	bctx := fmt.Sprintf("sed 's|^FROM bench-base|FROM scratch\\nADD base.tar /|' %s/Dockerfile > %s/Dockerfile.buildah && cp %s %s/", ctx, ctx, tarball, ctx)
	if _, err := timeShell(bctx); err != nil {
		return err
	}
	for _, c := range [][2]string{{"buildah bud, cold", "--no-cache"}, {"buildah bud, cached", ""}} {
		d, err := bestOf3(fmt.Sprintf("buildah bud -q --layers %s -f %s/Dockerfile.buildah %s > /dev/null", c[1], ctx, ctx))
		if err != nil {
			return err
		}
		fmt.Printf("%-28s %9s\n", c[0], ms(d))
	}
	return nil
}

// dockerBuildBench times Docker's classic builder on the same Dockerfile
// and base, when a daemon answers, and says how mini compares.
func dockerBuildBench(ctx, tarball string, cold, cached time.Duration) error {
	if exec.Command("docker", "info").Run() != nil {
		fmt.Println("no Docker daemon (DOCKER_HOST): timing mini without Docker's builder")
		return nil
	}
	if _, err := timeShell(fmt.Sprintf("docker import %s bench-base > /dev/null", tarball)); err != nil {
		return err
	}
	defer exec.Command("docker", "rmi", "-f", "bench-base").Run()
	build := fmt.Sprintf("DOCKER_BUILDKIT=0 docker build -q %%s %s > /dev/null 2>&1", ctx)
	dcold, err := bestOf3(fmt.Sprintf(build, "--no-cache"))
	if err != nil {
		return err
	}
	dcached, err := bestOf3(fmt.Sprintf(build, ""))
	if err != nil {
		return err
	}
	fmt.Printf("%-28s %9s   (mini/docker %.2f)\n", "docker build, cold", ms(dcold), float64(cold)/float64(dcold))
	fmt.Printf("%-28s %9s   (mini/docker %.2f; target at most 0.30)\n", "docker build, all cached", ms(dcached), float64(cached)/float64(dcached))
	return nil
}
