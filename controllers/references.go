package controllers

import (
	"sync"

	"k8s.io/apimachinery/pkg/types"

	"github.com/vigil-monitoring/vigil/internal/assets"
)

// object is a Secret or ConfigMap, by kind and name.
type object struct {
	kind string
	name types.NamespacedName
}

// references remembers which Secrets and ConfigMaps each owner read in
// its last reconcile, so that a change to one enqueues exactly the owners
// that read it.
type references struct {
	mu      sync.Mutex
	byOwner map[types.NamespacedName][]object
	owners  map[object]map[types.NamespacedName]bool
}

func newReferences() *references {
	return &references{byOwner: map[types.NamespacedName][]object{}, owners: map[object]map[types.NamespacedName]bool{}}
}

// set replaces what owner read.
func (r *references) set(owner types.NamespacedName, refs []assets.Reference) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.forgetLocked(owner)
	seen := map[object]bool{}
	for _, ref := range refs {
		o := object{ref.Kind, types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}}
		if seen[o] {
			continue
		}
		seen[o] = true
		r.byOwner[owner] = append(r.byOwner[owner], o)
		if r.owners[o] == nil {
			r.owners[o] = map[types.NamespacedName]bool{}
		}
		r.owners[o][owner] = true
	}
}

// forget drops owner, when it is deleted.
func (r *references) forget(owner types.NamespacedName) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.forgetLocked(owner)
}

func (r *references) forgetLocked(owner types.NamespacedName) {
	for _, o := range r.byOwner[owner] {
		delete(r.owners[o], owner)
		if len(r.owners[o]) == 0 {
			delete(r.owners, o)
		}
	}
	delete(r.byOwner, owner)
}

// ownersOf are the owners that read the object.
func (r *references) ownersOf(kind string, name types.NamespacedName) []types.NamespacedName {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []types.NamespacedName
	for owner := range r.owners[object{kind, name}] {
		out = append(out, owner)
	}
	return out
}
