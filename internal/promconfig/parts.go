package promconfig

import (
	"crypto/sha256"
	"runtime"
	"sync"
	"sync/atomic"

	corev1 "k8s.io/api/core/v1"
)

// part is one object's jobs, built, encoded and loaded with the base.
type part struct {
	job
	fragment
	// key is the cache's key for the fragment's verdict, set when hashed.
	key    [sha256.Size]byte
	hashed bool
	// encodeErr is a failure to encode, which fails Generate.
	encodeErr error
	// object is the cache's key for the object's view, set when viewed;
	// lookups are the Store's answers its jobs were built from.
	object  [sha256.Size]byte
	viewed  bool
	version string // the task's
	lookups []storeAnswer
}

// buildParts builds, encodes and loads every task's jobs on GOMAXPROCS
// workers, or takes them from the cache. Each task is independent of the
// others (builders are pure, and each object's jobs are loaded with the
// base alone), and each result goes to its task's index, so the output
// does not depend on the number of workers or their timing; assemble then
// decides in task order.
func buildParts(g *generator, tasks []task, frags *fragments) []part {
	parts := make([]part, len(tasks))
	workers := min(runtime.GOMAXPROCS(0), len(tasks))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var e emitter
			for {
				i := int(next.Add(1)) - 1
				if i >= len(tasks) {
					return
				}
				parts[i] = buildPart(g, tasks[i], frags, &e)
			}
		})
	}
	wg.Wait()
	return parts
}

func buildPart(g *generator, t task, frags *fragments, e *emitter) part {
	if t.err != nil {
		return part{job: t.run(g)}
	}
	p := part{version: t.version}
	if frags.memo {
		if p.object, p.viewed = frags.views[t.version]; !p.viewed || t.version == "" {
			p.object, p.viewed = t.view.key()
		}
		if prev, ok := frags.objects[p.object]; ok && p.viewed && prev.storeAgrees(g.in.Store) {
			prev.version = t.version
			return prev
		}
	}
	own := g
	if p.viewed {
		// Build with a Store of the object's own that records its answers.
		copied := *g
		copied.in.Store = recording(g.in.Store)
		own = &copied
	}
	p.job = t.run(own)
	p.lookups = lookupsOf(own.in.Store)
	if p.err != nil {
		return p
	}
	out, err := e.encodeJobs(p.configs)
	p.configs = nil // encoded; not kept
	if err != nil {
		p.encodeErr = err
		return p
	}
	p.fragment, p.key, p.hashed = frags.fragment(out)
	return p
}

// lockedStore serializes the calls of the workers to the caller's Store,
// which need not be safe for concurrent use.
type lockedStore struct {
	mu    sync.Mutex
	store Store
}

func (s *lockedStore) SecretKey(namespace string, sel corev1.SecretKeySelector) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.SecretKey(namespace, sel)
}

func (s *lockedStore) ConfigMapKey(namespace string, sel corev1.ConfigMapKeySelector) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.ConfigMapKey(namespace, sel)
}
