// Pulling an image: manifest, config, then each missing layer, unpacked
// once into its own directory.

package images

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"mini/internal/atomicfile"
	unionfs "mini/steps/03-unionfs"
	"mini/steps/04-images/imagestore"
)

// Platform is this machine's, for choosing from multi-platform images.
var Platform = v1.Platform{OS: "linux", Architecture: runtime.GOARCH}

// Pull fetches ref into the store, reporting to p (Lines{W} for Docker's
// lines).
// Layers the store has are not fetched again. Credentials come from Docker's
// config.json (a user's `docker login` works).
func (s *Store) Pull(ctx context.Context, refStr string, p Progress) (*imagestore.Record, error) {
	return s.PullPlatform(ctx, refStr, Platform, p)
}

// PullPlatform is Pull of the image for platform, from an image made for
// several (pull --platform).
func (s *Store) PullPlatform(ctx context.Context, refStr string, platform v1.Platform, p Progress) (*imagestore.Record, error) {
	ref, err := imagestore.ParseReference(refStr)
	if err != nil {
		return nil, err
	}
	rref, opts, err := remoteFor(ctx, ref) // registries.go
	if err != nil {
		return nil, err
	}
	desc, err := remote.Get(rref, append(opts, remote.WithPlatform(platform))...)
	if err != nil {
		return nil, registryError("pull", ref, err)
	}
	img, err := desc.Image()
	if err != nil {
		return nil, registryError("pull", ref, err)
	}
	p.Status(fmt.Sprintf("%s: Pulling from %s", tagOf(ref), ref.Repository()))
	// A name pulled by digest is not a tag: the image is known by its
	// repository and digest only (images shows <none> for its tag). The
	// digest is what was asked for: a multi-platform image's index's, not
	// the manifest of this machine's platform in it, so that pulling
	// REPO@THAT_DIGEST again finds the image here.
	tag, digest := ref.Name, desc.Digest.String()
	if ref.Digest != "" {
		tag = ""
	}
	var rec *imagestore.Record
	var fetched bool
	err = s.Ingest(func() error { // no collector while files have no record (imagestore/collect.go)
		if rec, fetched, err = s.fetch(img, p); err != nil {
			return err
		}
		return s.AddRecord(rec, tag, ref.Repository()+"@"+digest)
	})
	if err != nil {
		return nil, err
	}
	p.Status("Digest: " + digest)
	if fetched {
		p.Status("Status: Downloaded newer image for " + ref.Name)
	} else {
		p.Status("Status: Image is up to date for " + ref.Name)
	}
	return rec, nil
}

// Tags lists the tags a registry has for the repository of refStr (pull
// --all-tags), sorted.
func Tags(ctx context.Context, refStr string) ([]string, error) {
	ref, err := imagestore.ParseReference(refStr)
	if err != nil {
		return nil, err
	}
	if ref.Digest != "" || strings.HasSuffix(refStr, ":"+ref.Tag) {
		return nil, fmt.Errorf("tag can't be used with --all-tags/-a: name the repository alone")
	}
	rref, opts, err := remoteFor(ctx, ref)
	if err != nil {
		return nil, err
	}
	tags, err := remote.List(rref.Context(), opts...)
	if err != nil {
		return nil, registryError("list the tags of", ref, err)
	}
	sort.Strings(tags)
	return tags, nil
}

func tagOf(ref *imagestore.Reference) string {
	if i := strings.LastIndexAny(ref.Name, ":@"); i >= 0 {
		return ref.Name[i+1:]
	}
	return "latest"
}

// fetch keeps the image's blobs and layers and returns its record, and
// whether anything had to be fetched.
func (s *Store) fetch(img v1.Image, p Progress) (*imagestore.Record, bool, error) {
	s.RemoveStaleTemps() // what killed writers left
	manifest, err := img.RawManifest()
	if err != nil {
		return nil, false, err
	}
	mdigest, err := img.Digest()
	if err != nil {
		return nil, false, err
	}
	config, err := img.RawConfigFile()
	if err != nil {
		return nil, false, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, false, err
	}
	id, err := img.ConfigName()
	if err != nil {
		return nil, false, err
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, false, err
	}
	rec := &imagestore.Record{ID: id.String(), Created: cfg.Created.Time, Manifest: mdigest.String()}
	fetched := false
	for _, l := range layers {
		diffID, err := l.DiffID()
		if err != nil {
			return nil, false, err
		}
		short := diffID.Hex[:12]
		rec.DiffIDs = append(rec.DiffIDs, diffID.String())
		if s.HasLayer(diffID.String()) {
			// Unpacked already, perhaps from another blob of the same
			// files (a loaded archive, a registry that compresses
			// otherwise): this manifest's blob is still needed to push
			// or save the image as it is.
			if _, err := s.keepLayerBlob(l, io.Discard); err != nil {
				return nil, false, fmt.Errorf("fetch layer %s: %w", short, err)
			}
			p.LayerDone(short, "Already exists")
			continue
		}
		fetched = true
		size, _ := l.Size()
		if err := s.unpackLayer(l, diffID, p.Layer(short, size)); err != nil {
			return nil, false, err
		}
		p.LayerDone(short, "Pull complete")
	}
	rec.Size = s.sizeOf(rec.DiffIDs)
	if err := s.WriteBlob(mdigest.String(), manifest); err != nil {
		return nil, false, err
	}
	if err := s.WriteBlob(id.String(), config); err != nil {
		return nil, false, err
	}
	return rec, fetched, nil
}

// unpackLayer applies the layer into a temporary directory, checks that
// what it read has the digest the config promised (the diffID), and only
// then renames it into place: a killed pull leaves no half layer behind
// under a real name.
func (s *Store) unpackLayer(l v1.Layer, diffID v1.Hash, progress io.Writer) error {
	blob, err := s.keepLayerBlob(l, progress)
	if err != nil {
		return fmt.Errorf("fetch layer %s: %w", diffID.Hex[:12], err)
	}
	kept, err := tarball.LayerFromFile(blob) // gzip, zstd or plain: it looks
	if err != nil {
		return err
	}
	rc, err := kept.Uncompressed()
	if err != nil {
		return fmt.Errorf("read layer %s: %w", diffID.Hex[:12], err)
	}
	defer rc.Close()
	tmp, err := os.MkdirTemp(s.LayersDir(), fmt.Sprintf(".tmp-%d-", os.Getpid()))
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	// A layer's root is 0755, as Docker's layer directories are: it
	// becomes the container's "/" (step 03's CopyRootAttrs), and a 0700
	// one would lock every user but root out of the whole filesystem.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := unpackVerified(tmp, rc, diffID); err != nil {
		return err
	}
	if err := os.Rename(tmp, s.LayerDir(diffID.String())); err != nil && !s.HasLayer(diffID.String()) {
		return fmt.Errorf("keep layer %s: %w", diffID.Hex[:12], err)
	}
	return nil
}

// unpackVerified applies the uncompressed layer archive r into dir,
// whiteouts and devices included, hashing every byte it reads, and refuses
// the layer unless the hash is its diffID. The registry checked the
// compressed blob's digest; the diffID, from the image's config, is the
// promise about what the layer holds, and only reading all of it keeps it.
//
//lab:04,fail unpack r into dir (unionfs.Apply, with whiteouts) while hashing it, and refuse it unless its sha256 is diffID
func unpackVerified(dir string, r io.Reader, diffID v1.Hash) error {
	h := sha256.New()
	tee := io.TeeReader(r, h)
	opts := unionfs.ApplyOptions{Whiteouts: true, AllowDevices: true}
	if err := unionfs.Apply(dir, tee, opts); err != nil {
		return fmt.Errorf("unpack layer %s: %w", diffID.Hex[:12], err)
	}
	if _, err := io.Copy(io.Discard, tee); err != nil { // the archive's end padding
		return fmt.Errorf("fetch layer %s: %w", diffID.Hex[:12], err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != diffID.Hex {
		return fmt.Errorf("layer %s does not match its diffID (got sha256:%s): refusing it", diffID.Hex[:12], got)
	}
	return nil
}

// keepLayerBlob keeps the layer as the registry sent it, compressed, in
// blobs/sha256 (so that a push or a save gives back the same digests), and
// returns its path. go-containerregistry checks the digest as it reads.
func (s *Store) keepLayerBlob(l v1.Layer, progress io.Writer) (string, error) {
	digest, err := l.Digest()
	if err != nil {
		return "", err
	}
	path := filepath.Join(s.BlobsDir(), digest.Hex)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	rc, err := l.Compressed()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	err = atomicfile.Write(path, func(w io.Writer) error {
		_, err := io.Copy(io.MultiWriter(w, progress), rc)
		return err
	})
	return path, err
}

// sizeOf adds up the bytes of the layers' files.
func (s *Store) sizeOf(diffIDs []string) int64 {
	var total int64
	for _, d := range diffIDs {
		total += imagestore.DiskUsage(s.LayerDir(d))
	}
	return total
}
