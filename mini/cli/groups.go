// Docker's management commands: docker image ls is docker images, docker
// image pull is docker pull. mini and mini-image both need the names,
// since mini-image serves half of mini image's commands.

package cli

// ImageGroupName is the name under "image" of a top-level image command
// mini-image serves (images is image ls, or image list), its aliases
// there, and whether it has one there (login, search and commit do not).
func ImageGroupName(name string) (string, []string, bool) {
	switch name {
	case "images":
		return "ls", []string{"list"}, true
	case "build", "pull", "push", "save", "load", "import":
		return name, nil, true
	}
	return "", nil, false
}
