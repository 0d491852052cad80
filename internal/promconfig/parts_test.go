package promconfig

import (
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
)

// TestWorkersDoNotChangeTheResult: Generate gives the same configuration
// and reasons on one worker as on several, with and without a cache.
func TestWorkersDoNotChangeTheResult(t *testing.T) {
	inputs := map[string]Input{"mixed": mixedInput()}
	entries, err := os.ReadDir(casesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		inputs[e.Name()] = loadCase(t, filepath.Join(casesDir, e.Name()))
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			runtime.GOMAXPROCS(1)
			want, err := Generate(in)
			g.Expect(err).NotTo(HaveOccurred())
			for _, procs := range []int{2, 4, 8} {
				runtime.GOMAXPROCS(procs)
				cached := in
				cached.Cache = NewCache()
				for range 2 {
					for _, in := range []Input{in, cached} {
						got, err := Generate(in)
						g.Expect(err).NotTo(HaveOccurred())
						g.Expect(string(got.Config)).To(Equal(string(want.Config)), "%d workers", procs)
						g.Expect(got.Rejected).To(Equal(want.Rejected), "%d workers", procs)
					}
				}
			}
		})
	}
}

// TestStoreIsCalledOneAtATime: the workers never call the caller's Store
// at the same time, as it need not be safe for concurrent use.
func TestStoreIsCalledOneAtATime(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	in := mixedInput()
	s := &overlapStore{Store: in.Store}
	in.Store = s
	_, err := Generate(in)
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	NewWithT(t).Expect(s.calls.Load()).To(BeNumerically(">", 10))
	NewWithT(t).Expect(s.overlaps.Load()).To(BeZero())
}

// overlapStore counts the calls made while another is in progress.
type overlapStore struct {
	Store
	inside, calls, overlaps atomic.Int32
}

func (s *overlapStore) enter() func() {
	s.calls.Add(1)
	if s.inside.Add(1) > 1 {
		s.overlaps.Add(1)
	}
	for range 100 {
		runtime.Gosched() // leave time for another worker to come in
	}
	return func() { s.inside.Add(-1) }
}

func (s *overlapStore) SecretKey(namespace string, sel corev1.SecretKeySelector) (string, error) {
	defer s.enter()()
	return s.Store.SecretKey(namespace, sel)
}

func (s *overlapStore) ConfigMapKey(namespace string, sel corev1.ConfigMapKeySelector) (string, error) {
	defer s.enter()()
	return s.Store.ConfigMapKey(namespace, sel)
}
