package promconfig

import (
	"crypto/sha256"
	"sync"
)

// Cache keeps, between two calls of Generate for one Prometheus object,
// what Prometheus's parser said of each object's encoded jobs loaded with
// the base configuration, keyed by a hash of the two. The verdict is a
// function of those bytes alone, so a hit is exactly what loading them
// again would say. Entries not used by the latest call are dropped, so it
// holds at most one configuration's worth of verdicts.
type Cache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]verdict
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{} }

// fragment is one object's jobs, encoded, and what Prometheus's parser
// says of them.
type fragment struct {
	yaml []byte
	verdict
}

// fragments is one Generate call's view of the cache; without a cache
// (cached false) every object's jobs are loaded, and nothing is hashed.
// Workers read prev and fill their own entries of keys; finish then
// records what this call used.
type fragments struct {
	base     []byte
	baseHash [sha256.Size]byte
	cached   bool
	prev     map[[sha256.Size]byte]verdict
}

func (c *Cache) start(base []byte) *fragments {
	f := &fragments{base: base}
	if c == nil {
		return f
	}
	f.cached, f.baseHash = true, sha256.Sum256(base)
	c.mu.Lock()
	f.prev = c.entries
	c.mu.Unlock()
	return f
}

// finish keeps the verdicts of this call's fragments.
func (c *Cache) finish(parts []part) {
	if c == nil {
		return
	}
	now := make(map[[sha256.Size]byte]verdict, len(parts))
	for _, p := range parts {
		if p.hashed {
			now[p.key] = p.verdict
		}
	}
	c.mu.Lock()
	c.entries = now
	c.mu.Unlock()
}

// fragment loads the encoded jobs with the base, or takes the verdict
// from the cache when the same bytes were loaded with the same base
// before. hashed says key is set.
func (f *fragments) fragment(jobs []byte) (frag fragment, key [sha256.Size]byte, hashed bool) {
	if !f.cached {
		return fragment{jobs, loadJobs(f.base, jobs)}, key, false
	}
	h := sha256.New()
	h.Write(f.baseHash[:])
	h.Write(jobs)
	h.Sum(key[:0])
	if v, ok := f.prev[key]; ok {
		return fragment{jobs, v}, key, true
	}
	return fragment{jobs, loadJobs(f.base, jobs)}, key, true
}
