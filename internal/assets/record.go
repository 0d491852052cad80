package assets

import (
	"cmp"
	"slices"
	"sync"

	corev1 "k8s.io/api/core/v1"
)

// Reference is one Secret or ConfigMap key a generation read, or tried to:
// a missing one counts, as its creation changes the output too.
type Reference struct {
	// Kind is "Secret" or "ConfigMap".
	Kind, Namespace, Name, Key string
}

// Recorder is a Source that remembers every key asked for, so that the
// operator can watch exactly those and map a change back to the owners
// that read them.
type Recorder struct {
	source Source
	mu     sync.Mutex
	refs   map[Reference]struct{}
}

var _ Source = (*Recorder)(nil)

// Record wraps source; a nil source has nothing.
func Record(source Source) *Recorder {
	if source == nil {
		source = NewStore(nil, nil)
	}
	return &Recorder{source: source, refs: map[Reference]struct{}{}}
}

func (r *Recorder) add(ref Reference) {
	r.mu.Lock()
	r.refs[ref] = struct{}{}
	r.mu.Unlock()
}

// SecretKey records the key and reads it.
func (r *Recorder) SecretKey(namespace string, sel corev1.SecretKeySelector) (string, error) {
	r.add(Reference{"Secret", namespace, sel.Name, sel.Key})
	return r.source.SecretKey(namespace, sel)
}

// ConfigMapKey records the key and reads it.
func (r *Recorder) ConfigMapKey(namespace string, sel corev1.ConfigMapKeySelector) (string, error) {
	r.add(Reference{"ConfigMap", namespace, sel.Name, sel.Key})
	return r.source.ConfigMapKey(namespace, sel)
}

// References are the keys asked for, sorted by kind, namespace, name, key.
func (r *Recorder) References() []Reference {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Reference, 0, len(r.refs))
	for ref := range r.refs {
		out = append(out, ref)
	}
	slices.SortFunc(out, func(a, b Reference) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Key, b.Key))
	})
	return out
}
