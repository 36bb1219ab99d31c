// Command apirun is what docker run (without -d) asks of an Engine API
// daemon, on its own connections, for 08-api/attach: create the container,
// attach (the connection hijacked: 101, then a raw stream), wait for the
// next exit, start, and read the stream to its end. It sends its own stdin
// as the container's input, prints the container's output decoded from the
// frames as "stdout: LINE" and "stderr: LINE" (raw, with a terminal), and
// "exit N" from the wait.
//
//	apirun SOCKET CREATE-JSON
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
)

func main() {
	if len(os.Args) != 3 {
		fail(fmt.Errorf("usage: apirun SOCKET CREATE-JSON"))
	}
	sock := os.Args[1]
	client := &http.Client{Transport: &http.Transport{Dial: func(string, string) (net.Conn, error) { return net.Dial("unix", sock) }}}
	var created struct{ Id string }
	resp, err := client.Post("http://d/v1.41/containers/create", "application/json", strings.NewReader(os.Args[2]))
	check(err)
	check(json.NewDecoder(resp.Body).Decode(&created))
	resp.Body.Close()
	var cfg struct {
		Tty, OpenStdin bool
	}
	json.Unmarshal([]byte(os.Args[2]), &cfg)

	// Attach: a raw request, since the answer takes the connection over.
	conn, err := net.Dial("unix", sock)
	check(err)
	fmt.Fprintf(conn, "POST /v1.41/containers/%s/attach?stream=1&stdout=1&stderr=1&stdin=%d HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n", created.Id, b2i(cfg.OpenStdin))
	r := bufio.NewReader(conn)
	status, err := r.ReadString('\n')
	check(err)
	if !strings.Contains(status, " 101 ") {
		fail(fmt.Errorf("attach answered %q", status))
	}
	for line, _ := r.ReadString('\n'); line != "\r\n" && line != ""; line, _ = r.ReadString('\n') {
	}

	// Wait for the next exit, before the start, as docker run does.
	exit := make(chan string, 1)
	go func() {
		resp, err := client.Post("http://d/v1.41/containers/"+created.Id+"/wait?condition=next-exit", "", nil)
		check(err)
		var w struct{ StatusCode int }
		check(json.NewDecoder(resp.Body).Decode(&w))
		exit <- fmt.Sprint(w.StatusCode)
	}()
	resp, err = client.Post("http://d/v1.41/containers/"+created.Id+"/start", "", nil)
	check(err)
	if resp.StatusCode != http.StatusNoContent {
		body, _ := io.ReadAll(resp.Body)
		fmt.Printf("start %d %s", resp.StatusCode, body)
	}
	if cfg.OpenStdin {
		go func() {
			io.Copy(conn, os.Stdin)
			conn.(*net.UnixConn).CloseWrite()
		}()
	}
	if cfg.Tty {
		io.Copy(os.Stdout, r)
	} else {
		readFrames(r)
	}
	fmt.Println("exit", <-exit)
}

// readFrames prints each frame's lines with its stream's name.
func readFrames(r io.Reader) {
	var hdr [8]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return
		}
		payload := make([]byte, binary.BigEndian.Uint32(hdr[4:]))
		if _, err := io.ReadFull(r, payload); err != nil {
			fail(err)
		}
		name := map[byte]string{1: "stdout", 2: "stderr"}[hdr[0]]
		for _, line := range bytes.Split(bytes.TrimSuffix(payload, []byte("\n")), []byte("\n")) {
			fmt.Printf("%s: %s\n", name, line)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func check(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "apirun:", err)
	os.Exit(1)
}
