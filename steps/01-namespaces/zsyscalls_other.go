//go:build !amd64 && !arm64

package namespaces

// syscallABIs is empty on machines mini has no system call table for:
// there, a container runs only with --security-opt seccomp=unconfined.
var syscallABIs []syscallABI
