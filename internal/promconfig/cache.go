package promconfig

import (
	"crypto/sha256"
	"sync"
)

// Cache keeps what one call of Generate for a Prometheus object learnt,
// for the next call for the same object:
//
//   - what Prometheus's parser said of each object's encoded jobs loaded
//     with the base configuration, keyed by a hash of those bytes: the
//     verdict is a function of them alone, so a hit is what loading them
//     again would say;
//   - each object's part (its jobs' names and encoding, or why it has
//     none, and the verdict), keyed by a hash of what of the object the
//     jobs depend on, kept for one context (see memo.go): an unchanged
//     object is then not built, encoded or loaded again.
//
// Entries not used by the latest call are dropped, so it holds at most one
// configuration's worth.
type Cache struct {
	mu       sync.Mutex
	verdicts map[[sha256.Size]byte]verdict
	context  [sha256.Size]byte
	objects  map[[sha256.Size]byte]part
	views    map[string][sha256.Size]byte // by object version (see task)
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
// (cached false) every object is built, encoded and loaded, and nothing is
// hashed. Workers only read it; finish records what the call used.
type fragments struct {
	base     []byte
	baseHash [sha256.Size]byte
	cached   bool
	verdicts map[[sha256.Size]byte]verdict
	// memo says objects' parts are kept, under context; objects are the
	// previous call's, when its context was this call's.
	memo    bool
	context [sha256.Size]byte
	objects map[[sha256.Size]byte]part
	views   map[string][sha256.Size]byte
}

func (c *Cache) start(base []byte, ctx buildContext) *fragments {
	f := &fragments{base: base}
	if c == nil {
		return f
	}
	f.cached, f.baseHash = true, sha256.Sum256(base)
	key, ok := ctx.key(f.baseHash)
	c.mu.Lock()
	defer c.mu.Unlock()
	f.verdicts, f.views = c.verdicts, c.views
	if f.memo, f.context = ok, key; ok && key == c.context {
		f.objects = c.objects
	}
	return f
}

// finish keeps the verdicts and the objects' parts of this call.
func (c *Cache) finish(f *fragments, parts []part) {
	if c == nil {
		return
	}
	verdicts := make(map[[sha256.Size]byte]verdict, len(parts))
	objects := make(map[[sha256.Size]byte]part, len(parts))
	views := make(map[string][sha256.Size]byte, len(parts))
	for _, p := range parts {
		if p.hashed {
			verdicts[p.key] = p.verdict
		}
		if f.memo && p.viewed && p.encodeErr == nil {
			objects[p.object] = p
		}
		if p.viewed && p.version != "" {
			views[p.version] = p.object
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.verdicts, c.context, c.objects, c.views = verdicts, f.context, objects, views
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
	if v, ok := f.verdicts[key]; ok {
		return fragment{jobs, v}, key, true
	}
	return fragment{jobs, loadJobs(f.base, jobs)}, key, true
}
