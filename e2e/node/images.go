package node

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

// Images maps an image repository (the reference without tag or digest, as
// "quay.io/prometheus/prometheus") to the binary that stands for it on this
// node. A container's image is looked up by its repository, whatever its
// tag: the node has one build of each.
type Images map[string]Image

// Image is the local binary an image runs, and the version it was built at
// (reported when a container asks for another tag).
type Image struct {
	Path    string
	Version string
}

// ParseImage reads a --image flag value: REPOSITORY=PATH or
// REPOSITORY=PATH@VERSION.
func ParseImage(s string) (string, Image, error) {
	repo, rest, ok := strings.Cut(s, "=")
	if !ok || repo == "" || rest == "" {
		return "", Image{}, fmt.Errorf("image mapping %q: want REPOSITORY=PATH[@VERSION]", s)
	}
	path, version, _ := strings.Cut(rest, "@")
	if !strings.HasPrefix(path, "/") {
		return "", Image{}, fmt.Errorf("image mapping %q: the binary must be an absolute path", s)
	}
	return repo, Image{Path: path, Version: version}, nil
}

// splitImage splits a reference into its repository and tag ("" when it has
// none, or only a digest).
func splitImage(ref string) (repo, tag string) {
	if at := strings.Index(ref, "@"); at >= 0 {
		ref = ref[:at]
	}
	// A colon after the last slash starts the tag; one before it is a
	// registry's port.
	if colon := strings.LastIndex(ref, ":"); colon > strings.LastIndex(ref, "/") {
		return ref[:colon], ref[colon+1:]
	}
	return ref, ""
}

// errImage is why a container's image cannot run here; its reason goes in
// the container's waiting state, as a kubelet's ErrImagePull does.
type errImage struct{ image, msg string }

func (e *errImage) Error() string { return fmt.Sprintf("image %q: %s", e.image, e.msg) }

// resolve finds the binary for an image reference. The note says when the
// tag asked for is not the version the binary was built at.
func (im Images) resolve(ref string) (img Image, note string, err error) {
	repo, tag := splitImage(ref)
	img, ok := im[repo]
	if !ok {
		return Image{}, "", &errImage{ref, "not mapped to a binary on this node (known: " + strings.Join(im.repositories(), ", ") + ")"}
	}
	if _, err := os.Stat(img.Path); err != nil {
		return Image{}, "", &errImage{ref, fmt.Sprintf("its binary is missing: %v", err)}
	}
	if tag != "" && img.Version != "" && strings.TrimPrefix(tag, "v") != strings.TrimPrefix(img.Version, "v") {
		note = fmt.Sprintf("image %s runs %s, built at %s", ref, img.Path, img.Version)
	}
	return img, note, nil
}

func (im Images) repositories() []string {
	repos := make([]string, 0, len(im))
	for r := range im {
		repos = append(repos, r)
	}
	sort.Strings(repos)
	return repos
}
