// Command example is step 08 alone: Docker's Engine API over a runtime of
// its own (a temporary state root), on a unix socket, until interrupted.
//
//	sudo go run ./steps/08-api/example /tmp/example.sock &
//	sudo curl --unix-socket /tmp/example.sock http://localhost/v1.41/version
//	sudo curl --unix-socket /tmp/example.sock -H 'Content-Type: application/json' \
//	    -d '{"Image":"none","Cmd":["true"]}' http://localhost/v1.41/containers/create
//
// (That last one answers 404: this state root has no image. A container
// needs an image here; mini daemon serves mini's own state root, whose
// images mini import and mini pull fill.)
//
// Like step 07's example, this program is also the container's supervisor
// and first process, chosen by its first argument.
package main

import (
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	namespaces "mini/steps/01-namespaces"
	runtime "mini/steps/07-runtime"
	"mini/steps/07-runtime/supervisor"
	api "mini/steps/08-api"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case namespaces.InitCommand:
			namespaces.Init()
		case supervisor.Command:
			os.Exit(supervisor.Main())
		}
	}
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: example SOCKET")
		os.Exit(2)
	}
	self, err := os.Executable()
	check(err)
	root, err := os.MkdirTemp("", "api-example-")
	check(err)
	defer os.RemoveAll(root)
	rt := runtime.New(root, "", []string{self, "example", supervisor.Command})
	l, err := api.Listen("unix://"+os.Args[1], nil)
	check(err)
	defer l.Close()
	go http.Serve(l, api.NewServer(rt, "example"))
	fmt.Printf("serving API %s on %s (state root %s); Ctrl-C stops\n", api.APIVersion, os.Args[1], root)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "example:", err)
		os.Exit(1)
	}
}
