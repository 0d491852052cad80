package controllers

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// TestPace: the wait after a reconcile is its duration, at most a second,
// counted from its end; other owners do not wait.
func TestPace(t *testing.T) {
	key, other := types.NamespacedName{Namespace: "monitoring", Name: "k8s"}, types.NamespacedName{Namespace: "monitoring", Name: "other"}
	t0 := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	for _, tc := range []struct {
		name    string
		took    time.Duration // the last reconcile's duration, ending at t0
		at      time.Duration // when the next is asked for, after t0
		want    time.Duration
		wantOth time.Duration
	}{
		{"a quick reconcile", 2 * ms, 0, 2 * ms, 0},
		{"asked again later than the gap", 2 * ms, 10 * ms, 0, 0},
		{"a slow reconcile", 300 * ms, 0, 300 * ms, 0},
		{"halfway through the gap", 300 * ms, 150 * ms, 150 * ms, 0},
		{"a very slow reconcile waits the bound", 5 * time.Second, 0, time.Second, 0},
	} {
		p := newPace()
		p.done(key, t0.Add(-tc.took), t0)
		if got := p.wait(key, t0.Add(tc.at)); got != tc.want {
			t.Errorf("%s: wait = %v, want %v", tc.name, got, tc.want)
		}
		if got := p.wait(other, t0.Add(tc.at)); got != tc.wantOth {
			t.Errorf("%s: another owner waits %v", tc.name, got)
		}
		p.forget(key)
		if got := p.wait(key, t0.Add(tc.at)); got != 0 {
			t.Errorf("%s: after forget, wait = %v", tc.name, got)
		}
	}
}
