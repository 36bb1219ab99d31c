// The store, seen from this package: the image store (imagestore) with
// what moves images in and out of it added.

package images

import "mini/steps/04-images/imagestore"

// Store is the image store under a state root, able to pull, push, save,
// load, import and commit. Everything it records goes through the
// imagestore underneath, which mini run reads on its own.
type Store struct {
	*imagestore.Store
}

// OpenStore opens (making if needed) the store under root.
func OpenStore(root string) (*Store, error) {
	s, err := imagestore.Open(root)
	if err != nil {
		return nil, err
	}
	return &Store{s}, nil
}
