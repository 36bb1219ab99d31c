// Package images keeps container images: read-only templates made of
// layers, fetched from registries.
//
// # What an image is
//
// An image is three kinds of content-addressed objects, each named by the
// SHA-256 digest of its bytes:
//
//   - a manifest: the list of the image's layers (their digests and sizes)
//     and the digest of its config; for a multi-platform image, a first
//     manifest (an index) lists one manifest per platform;
//   - a config: the image's defaults for containers (Env, Cmd, Entrypoint,
//     WorkingDir, User, ExposedPorts), its history, and the diffIDs: the
//     digests of each layer's *uncompressed* tar;
//   - layers: compressed tar archives, each the changes one build step made
//     (step 03 explains whiteouts).
//
// A tag (busybox:latest) is only a name pointing at a manifest, and can
// move; a digest (busybox@sha256:...) cannot. The image ID Docker shows is
// the digest of the config.
//
// # What a pull is
//
// For busybox (short for docker.io/library/busybox:latest) a pull asks the
// registry for the manifest (GET /v2/library/busybox/manifests/latest),
// picks this machine's platform from the index, fetches the config blob
// (GET /v2/.../blobs/sha256:...), and then each layer blob it does not have
// yet. go-containerregistry speaks the protocol (authentication tokens,
// redirects, content types); this package decides what to keep and how.
//
// # Two packages
//
// The store on disk, and the names of images, are the package imagestore
// below this one: what mini run needs to find an image and its layers.
// This package adds what moves images in and out of the store: pulls and
// pushes, docker save archives, imports and commits. It is where
// go-containerregistry comes in, with the registry protocol, TLS and the
// compression formats; keeping it apart keeps all that out of the programs
// that only run containers: mini itself, the supervisor and the container's
// init (mini/imagetool.go).
package images
