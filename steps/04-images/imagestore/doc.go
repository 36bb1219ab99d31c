// Package imagestore is step 04's image store on disk: the records of the
// images a machine has, their names, and their layers, unpacked once and
// shared. Package images (the directory above) fills it from registries
// and archives; mini run only reads it.
//
// Under $root/images:
//
//	blobs/sha256/HEX      manifests, configs and compressed layers, as
//	                      fetched: a push or save gives back the same digests
//	layers/DIFFID         each layer unpacked once, shared by every image
//	                      that has it, whiteouts converted for overlayfs
//	images/ID.json        one record per image: its layers and its names
//	                      (tags and digests), each name on one image only
//
// Everything is written under a temporary name and renamed into place, and
// the records change under a lock: a pull killed at any moment leaves a
// store that the next command reads correctly, and the next pull finishes
// what is missing.
package imagestore
