// Package unionfs gives every container a filesystem of its own without
// copying its image: layers of read-only directories with one writable
// layer on top, joined by the kernel's overlay filesystem.
//
// # Copy-on-write
//
// overlayfs shows several directories as one. The lower directories (the
// image's layers, top one first) are never written. The upper directory
// belongs to the container: a new file goes there; a lower file that is
// changed is first copied up whole into the upper directory and changed
// there (copy-up); a lower file that is deleted is hidden by a whiteout in
// the upper directory, a character device with number 0/0 under the same
// name. A directory that replaced a lower one is marked opaque with the
// extended attribute trusted.overlay.opaque=y, so nothing below shows
// through. The work directory is overlayfs's scratch space for making those
// changes atomic; it must be on the same filesystem as the upper directory.
//
// When the overlay is unmounted (the container's mount namespace goes with
// its last process), the kernel syncs the upper directory's filesystem, so
// that the container's writes survive a crash. A container run with --rm
// is thrown away at once, writes and all: its overlay is mounted with
// "volatile", which skips those syncs (a journal commit, and a disk write,
// on every exit). The kernel then marks the work directory, and refuses
// to mount the same upper and work directories again; a --rm container is
// never mounted twice.
//
// The upper directory cannot itself sit on an overlay filesystem (the
// kernel refuses it with EINVAL): running mini inside a Docker container,
// whose own root is an overlay, needs a state root on another filesystem,
// such as a volume.
//
// # Layers as archives
//
// Images travel as tar archives, one per layer, and an archive cannot hold
// a whiteout device portably; so a deletion is written as an empty file
// named .wh.NAME, and an opaque directory as .wh..wh..opq inside it (the
// convention AUFS started). Applying a layer turns these back into what
// overlayfs understands (apply.go); turning a container's upper directory
// into a layer does the reverse.
//
// Applying an archive is also where a malicious image attacks: an entry
// named ../../etc/cron.d/x, a symlink to / followed by a file written
// "through" it, a hard link to the host's /etc/shadow. apply.go resolves
// every path inside the layer directory with openat2(RESOLVE_IN_ROOT), so the
// kernel itself makes "/" and ".." stop at the layer's root, exactly as they
// will inside the container.
package unionfs
