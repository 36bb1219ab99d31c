// The image tool's commands by name, with their help lines: what a slim
// mini lists for mini-image to serve (imagetool_slim.go). imagetool_test.go
// checks them against the commands themselves.

package main

// imageTools are the image commands: how each is used, and its help line.
var imageTools = []struct{ use, short string }{
	{"build [OPTIONS] PATH|-", "Build an image from a Dockerfile"},
	{"pull NAME[:TAG|@DIGEST]", "Download an image from a registry"},
	{"images [OPTIONS]", "List images"},
	{"push NAME[:TAG]", "Upload an image to a registry"},
	{"save [OPTIONS] IMAGE [IMAGE...]", "Save images to a tar archive (docker save's format)"},
	{"load [OPTIONS]", "Load images from a tar archive (docker save's or podman save's)"},
	{"commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes"},
	{"import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]", "Make an image from a root filesystem archive"},
	{"login [OPTIONS] SERVER", "Log in to a registry"},
	{"logout SERVER", "Log out from a registry"},
	{"search [OPTIONS] [REGISTRY/]TERM", "Search a registry for images"},
}
