// The runtime: one state root, and the operations on its containers.

package runtime

// Runtime is the container engine over one state root (store says what
// is where under it). Its methods take plain values and return plain
// values and typed errors (errors.go): the CLI and an API server call the
// same ones.
type Runtime struct {
	Root string
}

// New is the runtime over the state root root.
func New(root string) *Runtime { return &Runtime{Root: root} }
