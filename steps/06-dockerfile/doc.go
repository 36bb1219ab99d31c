// Package dockerfile turns a Dockerfile into an image, the way Docker's
// classic builder does: one instruction after the other, each on the image
// the one before left.
//
// FROM picks the starting image (an image, "scratch", or an earlier stage
// of a multi-stage build). Each later instruction either changes only the
// image's config (ENV, CMD, USER, EXPOSE...: an "empty layer" in the
// image's history) or adds one layer: RUN runs its command in a container
// made from the image so far and keeps what the command changed (the
// container's upper directory, step 03) as the layer; COPY and ADD make a
// layer of files from the build context or another stage, written into the
// image as it stands (dest.go: the directories above the files keep their
// mode and owner, symlinks in the image are followed); WORKDIR makes its
// directory in a layer when the image lacks it. A step that changes no
// file adds no layer, only its "empty layer" entry.
//
// One build of
//
//	FROM busybox          the base image, from the store or pulled
//	ENV GREETING=hi       config only: Env gets GREETING
//	COPY app.sh /app/     a layer holding /app/app.sh
//	RUN chmod +x /app/app.sh   a container, and its changes as a layer
//	CMD ["/app/app.sh"]   config only
//
// gives an image of the base's layers plus two, and a history of five
// entries after the base's.
//
// The cache. Each instruction's result is kept as an image in the store,
// and found again by a key: the key of the step before, the instruction,
// and what its result depends on: the config it makes, for COPY and ADD a
// digest of what they copy (names, modes, owners and bytes, never times),
// for RUN the build arguments, which are its environment. A build that
// meets a key it has seen reuses that image ("Using cache") instead of
// running the step; a changed file changes the key of its step, and so of
// every step after it; a changed build argument, as in Docker's classic
// builder, misses at the first step whose result it changes.
//
// Parsing is not the lesson here: the Dockerfile is read by moby/buildkit's
// own parser and instruction packages, which handle line continuations,
// "# escape=", JSON and shell forms, heredocs and ARG before FROM exactly
// as Docker does. The step takes what it needs of the runtime through the
// Runner interface (run this command on this image, give back its
// changes), so it never imports mini.
package dockerfile
