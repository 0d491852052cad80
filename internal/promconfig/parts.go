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
	// key is the cache's key for the fragment, set when hashed.
	key    [sha256.Size]byte
	hashed bool
	// encodeErr is a failure to encode, which fails Generate.
	encodeErr error
}

// buildParts builds, encodes and loads every task's jobs on GOMAXPROCS
// workers. Each task is independent of the others (builders are pure, and
// each object's jobs are loaded with the base alone), and each result goes
// to its task's index, so the output does not depend on the number of
// workers or their timing; assemble then decides in task order.
func buildParts(tasks []task, frags *fragments) []part {
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
				parts[i] = buildPart(tasks[i], frags, &e)
			}
		})
	}
	wg.Wait()
	return parts
}

func buildPart(t task, frags *fragments, e *emitter) part {
	p := part{job: t.run()}
	if p.err != nil {
		return p
	}
	out, err := e.encodeJobs(p.configs)
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
