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

// fragments is one Generate call's view of the cache; without a cache
// (cached false) every object is encoded and checked, and nothing is hashed.
type fragments struct {
	base      []byte
	baseHash  [sha256.Size]byte
	cached    bool
	prev, now map[[sha256.Size]byte]fragment
}

func (c *Cache) start(base []byte) *fragments {
	f := &fragments{base: base}
	if c == nil {
		return f
	}
	f.cached, f.baseHash, f.now = true, sha256.Sum256(base), map[[sha256.Size]byte]fragment{}
	c.mu.Lock()
	f.prev = c.entries
	c.mu.Unlock()
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
	if !f.cached {
		return f.build(j)
	}
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
	frag, err := f.build(j)
	if err == nil {
		f.now[key] = frag
	}
	return frag, err
}

// build encodes j's scrape configs and checks them with the base.
func (f *fragments) build(j job) (fragment, error) {
	var e emitter
	out, err := e.encodeJobs(j.configs)
	if err != nil {
		return fragment{}, err
	}
	return fragment{yaml: out, err: validate(withJobs(f.base, out))}, nil
}
