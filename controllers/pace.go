package controllers

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// pace spaces the reconciles of each owner by the last one's duration, up
// to a bound. An edit after a quiet spell is taken at once; a burst (a
// chart creating thousands of monitors, one event each) costs at most
// half a core and half the configuration writes. bench-scale measured the
// need: at 5,000 ServiceMonitors created over three minutes, reconciles of
// 0.3 s one after another wrote the 220 KB Secret 605 times, where
// Prometheus Operator wrote it 236 times. A longer gap saves more writes
// and delays convergence by as much (four times the duration made it
// slower than Prometheus Operator's at 1,000).
type pace struct {
	factor time.Duration // the gap is factor times the last reconcile's duration
	max    time.Duration // and at most max

	mu   sync.Mutex
	next map[types.NamespacedName]time.Time
}

func newPace() *pace {
	return &pace{factor: 1, max: time.Second, next: map[types.NamespacedName]time.Time{}}
}

// wait is how long key's next reconcile must wait, from now; zero means
// at once.
func (p *pace) wait(key types.NamespacedName, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return max(0, p.next[key].Sub(now))
}

// done records a reconcile of key that ran from start to end.
func (p *pace) done(key types.NamespacedName, start, end time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next[key] = end.Add(min(p.max, p.factor*end.Sub(start)))
}

// forget drops key, whose owner is gone.
func (p *pace) forget(key types.NamespacedName) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.next, key)
}
