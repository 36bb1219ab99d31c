// The API's figures (step 08): docker run --rm through mini daemon beside
// the same through Docker's dockerd (its own data root, no bridge, no
// iptables: nothing of the host's Docker is touched), docker ps with 100
// containers through each, and the daemons' resident memory. Each needs
// the docker CLI; dockerd's half needs dockerd and containerd.

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// apiBench times the docker CLI against mini daemon, and against dockerd
// when it is installed.
func apiBench(dir, mini, root string, n int) error {
	docker, err := exec.LookPath("docker")
	if err != nil {
		fmt.Println("\ndocker CLI not installed: no API figures")
		return nil
	}
	fmt.Printf("\n%-34s %9s %9s\n", "API (docker CLI)", "MEDIAN", "P90")
	sock := filepath.Join(dir, "mini-api.sock")
	stop, pid, err := startDaemon(sock, mini, "--root", root, "daemon", "-H", "unix://"+sock)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Println("mini daemon")
	miniRun, miniPs, err := dockerFigures(docker, sock, n)
	if err != nil {
		return fmt.Errorf("through mini daemon: %w", err)
	}
	fmt.Printf("%-34s %9s\n", "  daemon's resident size", statusField(pid, "VmRSS"))
	dockerd, err := exec.LookPath("dockerd")
	if err != nil {
		fmt.Println("dockerd not installed: mini daemon alone")
		return nil
	}
	ddir := filepath.Join(dir, "dockerd")
	dsock := filepath.Join(ddir, "docker.sock")
	stopD, dpid, err := startDaemon(dsock, dockerd, "--data-root", filepath.Join(ddir, "data"), "--exec-root", filepath.Join(ddir, "exec"),
		"-H", "unix://"+dsock, "--pidfile", filepath.Join(ddir, "docker.pid"), "--bridge", "none", "--iptables=false")
	if err != nil {
		return fmt.Errorf("dockerd: %w", err)
	}
	defer stopD()
	fmt.Println("dockerd")
	load := fmt.Sprintf("%s --root %s save bench:latest | %s -H unix://%s load -q > /dev/null", mini, root, docker, dsock)
	if _, err := timeShell(load); err != nil {
		return fmt.Errorf("load the bench image into dockerd: %w", err)
	}
	dockerRun, dockerPs, err := dockerFigures(docker, dsock, n)
	if err != nil {
		return fmt.Errorf("through dockerd: %w", err)
	}
	fmt.Printf("%-34s %9s\n", "  daemon's resident size", statusField(dpid, "VmRSS"))
	fmt.Printf("mini/dockerd: %.2f for docker run --rm (target at most 0.20), %.2f for the list of 100 docker ps -a asks for (target at most 0.50)\n",
		float64(miniRun)/float64(dockerRun), float64(miniPs)/float64(dockerPs))
	return nil
}

// dockerFigures times docker run --rm (n times) and docker ps -a with 100
// stopped containers, through the daemon on sock, and prints both.
func dockerFigures(docker, sock string, n int) (run, ps time.Duration, err error) {
	host := "unix://" + sock
	cases := []benchCase{{"run", []string{docker, "-H", host, "run", "--rm", "--network", "none", "bench:latest", "true"}}}
	times, err := timeCases(cases, n)
	if err != nil {
		return 0, 0, err
	}
	run = median(times[0])
	for i := 0; i < 100; i++ {
		if o, err := exec.Command(docker, "-H", host, "create", "--network", "none", "bench:latest", "true").CombinedOutput(); err != nil {
			return 0, 0, fmt.Errorf("create: %v: %s", err, o)
		}
	}
	var pst []time.Duration
	for i := 0; i < 30; i++ {
		start := time.Now()
		if o, err := exec.Command(docker, "-H", host, "ps", "-a").CombinedOutput(); err != nil {
			return 0, 0, fmt.Errorf("ps: %v: %s", err, o)
		}
		pst = append(pst, time.Since(start))
	}
	sort.Slice(pst, func(i, j int) bool { return pst[i] < pst[j] })
	list, err := timeList(sock)
	if err != nil {
		return 0, 0, err
	}
	exec.Command(docker, "-H", host, "container", "prune", "-f").Run()
	fmt.Printf("%-34s %9s %9s\n", "  docker run --rm IMAGE true", ms(run), ms(times[0][len(times[0])*9/10]))
	fmt.Printf("%-34s %9s\n", "  docker ps -a, 100 containers", ms(median(pst)))
	fmt.Printf("%-34s %9s\n", "  GET /containers/json?all=1 alone", ms(list))
	return run, list, nil
}

// timeList times the list request docker ps -a sends, alone: the
// daemon's part of docker ps, without the client's start-up.
func timeList(sock string) (time.Duration, error) {
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", sock)
	}}}
	defer client.CloseIdleConnections()
	var d []time.Duration
	for i := 0; i < 35; i++ {
		start := time.Now()
		resp, err := client.Get("http://d/v1.41/containers/json?all=1")
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if i >= 5 {
			d = append(d, time.Since(start))
		}
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return median(d), nil
}

// startDaemon starts a daemon and waits for its socket to answer; stop
// ends it with SIGINT (SIGKILL after 20s).
func startDaemon(sock string, argv ...string) (stop func(), pid int, err error) {
	if err := os.MkdirAll(filepath.Dir(sock), 0o755); err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	stop = func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return stop, cmd.Process.Pid, nil
		}
	}
	stop()
	return nil, 0, fmt.Errorf("%s did not answer on %s:\n%s", argv[0], sock, logs.String())
}
