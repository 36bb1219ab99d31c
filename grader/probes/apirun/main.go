// Command apirun is what docker run (without -d) asks of an Engine API
// daemon, on its own connections, for 08-api/attach: create the container,
// attach (the connection hijacked: 101, then a raw stream), wait for the
// next exit, start, and read the stream to its end. It sends its own stdin
// as the container's input, prints the container's output decoded from the
// frames as "stdout: LINE" and "stderr: LINE" (raw, with a terminal), and
// "exit N" from the wait.
//
//	apirun SOCKET CREATE-JSON
//
// With exec, it is what docker exec asks: create the exec in a running
// container, start it on a hijacked connection, read the stream to its
// end, then inspect the exec for its exit status ("exit N").
//
//	apirun exec SOCKET CONTAINER EXEC-JSON
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
	switch {
	case len(os.Args) == 3:
		run(os.Args[1], os.Args[2])
	case len(os.Args) == 5 && os.Args[1] == "exec":
		execIn(os.Args[2], os.Args[3], os.Args[4])
	default:
		fail(fmt.Errorf("usage: apirun SOCKET CREATE-JSON, or apirun exec SOCKET CONTAINER EXEC-JSON"))
	}
}

func httpClient(sock string) *http.Client {
	return &http.Client{Transport: &http.Transport{Dial: func(string, string) (net.Conn, error) { return net.Dial("unix", sock) }}}
}

// upgrade sends a request whose answer takes the connection over, and
// reads the answer's head: 101, then the stream.
func upgrade(sock, path, body string) (net.Conn, *bufio.Reader) {
	conn, err := net.Dial("unix", sock)
	check(err)
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", path, len(body), body)
	r := bufio.NewReader(conn)
	status, err := r.ReadString('\n')
	check(err)
	if !strings.Contains(status, " 101 ") {
		fail(fmt.Errorf("%s answered %q", path, status))
	}
	for line, _ := r.ReadString('\n'); line != "\r\n" && line != ""; line, _ = r.ReadString('\n') {
	}
	return conn, r
}

// stream sends stdin (when asked) and prints the output to its end.
func stream(conn net.Conn, r io.Reader, tty, stdin bool) {
	if stdin {
		go func() {
			io.Copy(conn, os.Stdin)
			conn.(*net.UnixConn).CloseWrite()
		}()
	}
	if tty {
		io.Copy(os.Stdout, r)
	} else {
		readFrames(r)
	}
}

func execIn(sock, container, execJSON string) {
	client := httpClient(sock)
	var created struct{ Id string }
	resp, err := client.Post("http://d/v1.41/containers/"+container+"/exec", "application/json", strings.NewReader(execJSON))
	check(err)
	if resp.StatusCode != http.StatusCreated {
		body, _ := io.ReadAll(resp.Body)
		fmt.Printf("exec %d %s", resp.StatusCode, body)
		return
	}
	check(json.NewDecoder(resp.Body).Decode(&created))
	resp.Body.Close()
	var cfg struct{ Tty, AttachStdin bool }
	json.Unmarshal([]byte(execJSON), &cfg)
	conn, r := upgrade(sock, "/v1.41/exec/"+created.Id+"/start", fmt.Sprintf(`{"Detach":false,"Tty":%t}`, cfg.Tty))
	stream(conn, r, cfg.Tty, cfg.AttachStdin)
	resp, err = client.Get("http://d/v1.41/exec/" + created.Id + "/json")
	check(err)
	var in struct {
		Running  bool
		ExitCode *int
	}
	check(json.NewDecoder(resp.Body).Decode(&in))
	if in.Running || in.ExitCode == nil {
		fail(fmt.Errorf("the exec's stream has ended, but its inspect says running=%v", in.Running))
	}
	fmt.Println("exit", *in.ExitCode)
}

func run(sock, createJSON string) {
	client := httpClient(sock)
	var created struct{ Id string }
	resp, err := client.Post("http://d/v1.41/containers/create", "application/json", strings.NewReader(createJSON))
	check(err)
	check(json.NewDecoder(resp.Body).Decode(&created))
	resp.Body.Close()
	var cfg struct {
		Tty, OpenStdin bool
	}
	json.Unmarshal([]byte(createJSON), &cfg)

	// Attach: a raw request, since the answer takes the connection over.
	conn, r := upgrade(sock, fmt.Sprintf("/v1.41/containers/%s/attach?stream=1&stdout=1&stderr=1&stdin=%d", created.Id, b2i(cfg.OpenStdin)), "")

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
	stream(conn, r, cfg.Tty, cfg.OpenStdin)
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
