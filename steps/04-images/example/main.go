// Command example is step 04 alone: an image pulled from a registry into
// a store of its own, each layer unpacked once into a directory of its
// own, ready to be an overlay's lower layers (step 03).
//
//	sudo go run ./steps/04-images/example 127.0.0.1:5000/busybox /tmp/example-store
//
// (Lab 04 says how to run a registry on loopback and push busybox to it.)
// It prints the image's ID, its config's command, and its layers top
// first: the lowerdir list a container of it would be mounted with.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	images "mini/steps/04-images"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: example IMAGE STORE_DIR")
		os.Exit(2)
	}
	ref, root := os.Args[1], os.Args[2]
	store, err := images.OpenStore(root)
	check(err)
	rec, err := store.Pull(context.Background(), ref, images.Lines{W: os.Stdout})
	check(err)
	fmt.Printf("image %s, %d layers\n", rec.ID, len(rec.DiffIDs))

	data, err := store.ReadBlob(rec.ID) // the config is a blob named by the image's ID
	check(err)
	var cfg struct {
		Config struct{ Cmd, Env []string }
	}
	check(json.Unmarshal(data, &cfg))
	fmt.Printf("its command: %q, its environment: %q\n", cfg.Config.Cmd, cfg.Config.Env)
	fmt.Println("its layers, top first (an overlay's lowerdir):")
	for _, dir := range store.LowerDirs(rec) {
		fmt.Println(" ", dir)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "example: %v\n", err)
		os.Exit(1)
	}
}
