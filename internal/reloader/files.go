package reloader

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// gunzip returns data decompressed when name ends in .gz.
func gunzip(name string, data []byte) ([]byte, error) {
	if !strings.HasSuffix(name, ".gz") {
		return data, nil
	}
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// envReference is $(NAME), as Kubernetes writes references to the
// container's environment.
var envReference = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// substitute replaces every $(NAME) in data by the value lookup gives. A
// reference to a variable that is not set is an error: the configuration
// would otherwise carry a literal $(SHARD) into relabelling and scrape
// every target on every shard.
func substitute(data []byte, lookup func(string) (string, bool)) ([]byte, error) {
	var missing []string
	out := envReference.ReplaceAllFunc(data, func(ref []byte) []byte {
		name := string(ref[2 : len(ref)-1])
		v, ok := lookup(name)
		if !ok {
			missing = append(missing, name)
			return ref
		}
		return []byte(v)
	})
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, fmt.Errorf("the configuration refers to environment variables that are not set: %s", strings.Join(slices.Compact(missing), ", "))
	}
	return out, nil
}

// writeAtomically writes data to path through a temporary file in the same
// folder renamed into place, and reports whether the content changed.
func writeAtomically(path string, data []byte) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	return true, os.Rename(tmp.Name(), path)
}

// syncDir makes dir hold exactly files (relative path to content): it
// writes what differs and removes what is not listed, and reports whether
// anything changed. Files are written before any is removed, so a rule
// moved from one ConfigMap to another is never missing in between.
func syncDir(dir string, files map[string][]byte) (bool, error) {
	changed := false
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		c, err := writeAtomically(filepath.Join(dir, rel), files[rel])
		if err != nil {
			return changed, err
		}
		changed = changed || c
	}
	var stale []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if _, ok := files[rel]; !ok {
			stale = append(stale, path)
		}
		return nil
	})
	if err != nil {
		return changed, err
	}
	for _, p := range stale {
		if err := os.Remove(p); err != nil {
			return changed, err
		}
		changed = true
		// An emptied ConfigMap folder goes too.
		if parent := filepath.Dir(p); parent != dir {
			_ = os.Remove(parent) // fails while the folder is not empty
		}
	}
	return changed, nil
}

// readDir returns the regular files directly in dir (as a mounted
// ConfigMap has them, following the kubelet's symlinks), by name.
func readDir(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue // the kubelet's ..data and timestamped folders
		}
		path := filepath.Join(dir, e.Name())
		info, err := os.Stat(path)
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		out[e.Name()] = data
	}
	return out, nil
}
