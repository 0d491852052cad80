package promconfig

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sync"
)

// Cache keeps the encoded and checked jobs of each object between two
// calls of Generate for one Prometheus object, keyed by a hash of the jobs
// and of the base configuration they are checked with. Entries not used by
// the latest call are dropped, so it holds at most one configuration's
// worth of jobs.
type Cache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]fragment
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{} }

// fragment is one object's jobs, encoded, and why Prometheus's parser
// refuses them, if it does.
type fragment struct {
	yaml []byte
	err  error
}

// fragments is one Generate call's view of the cache.
type fragments struct {
	base      []byte
	baseHash  [sha256.Size]byte
	prev, now map[[sha256.Size]byte]fragment
}

func (c *Cache) start(base []byte) *fragments {
	f := &fragments{base: base, baseHash: sha256.Sum256(base), now: map[[sha256.Size]byte]fragment{}}
	if c != nil {
		c.mu.Lock()
		f.prev = c.entries
		c.mu.Unlock()
	}
	return f
}

func (c *Cache) finish(f *fragments) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.entries = f.now
	c.mu.Unlock()
}

// fragment encodes and checks j's scrape configs, or takes them from the
// cache when nothing they depend on changed. The key is computed from the
// structures with encoding/json, which is far cheaper than the YAML
// encoder and Prometheus's parser that a hit skips.
func (f *fragments) fragment(j job) (fragment, error) {
	js, err := json.Marshal(j.configs)
	if err != nil {
		return fragment{}, fmt.Errorf("hashing jobs of %s %s/%s: %w", j.kind, j.namespace, j.name, err)
	}
	h := sha256.New()
	h.Write(f.baseHash[:])
	h.Write(js)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	if frag, ok := f.now[key]; ok {
		return frag, nil
	}
	if frag, ok := f.prev[key]; ok {
		f.now[key] = frag
		return frag, nil
	}
	items := make([]any, len(j.configs))
	for i, c := range j.configs {
		items[i] = c
	}
	out, err := encode(items)
	if err != nil {
		return fragment{}, err
	}
	frag := fragment{yaml: out, err: validate(withJobs(f.base, out))}
	f.now[key] = frag
	return frag, nil
}
