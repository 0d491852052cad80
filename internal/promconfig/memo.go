package promconfig

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"hash"

	corev1 "k8s.io/api/core/v1"

	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// An object's jobs are a function of what the builders read: the object's
// namespace, name and spec (objectView, which adds its labels and
// annotations to be safe); the Prometheus object's namespace, name and
// spec, the file reference policy and the scrape classes, made from that
// spec and the Secrets the classes name (buildContext); and the Secrets
// and ConfigMaps the object names, each an answer of the Store. Their
// verdict also depends on the base they are loaded with. With a Cache,
// each object's part (its jobs' names and encoded YAML, or why it has
// none, and the verdict) is kept under a hash of its view, with the
// Store's answers it was built from; the next call whose context and base
// hash the same takes it when the object's view hashes the same and the
// Store still gives the same answers, and builds, encodes and loads only
// the objects that changed. TestCacheGivesTheSameResult and
// TestCacheFollowsEveryInput hold the output the same with and without the
// cache; TestStatusAndMetadataAreNotRead holds the builders to the view.

// object is a selected object.
type object interface {
	rejection.Keyed
	GetLabels() map[string]string
	GetAnnotations() map[string]string
}

// objectView is what of an object its jobs may depend on. Status and the
// metadata the API server sets (resource version, managed fields) are left
// out, so that writing an object's status does not make its jobs be built
// again.
type objectView struct {
	Kind        string            `json:"kind"`
	Namespace   string            `json:"namespace"`
	Name        string            `json:"name"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Spec        any               `json:"spec"`
}

func viewOf(kind string, o object, spec any) objectView {
	return objectView{Kind: kind, Namespace: o.GetNamespace(), Name: o.GetName(), Labels: o.GetLabels(), Annotations: o.GetAnnotations(), Spec: spec}
}

// key hashes the view; ok is false when it cannot be encoded, and the
// object is then built every time.
func (v objectView) key() (key [sha256.Size]byte, ok bool) {
	b, err := json.Marshal(v)
	if err != nil {
		return key, false
	}
	return sha256.Sum256(b), true
}

// buildContext is what every object's jobs depend on besides the object:
// the generator's settings and the answers the Store gave for the scrape
// classes.
type buildContext struct {
	g            *generator
	classLookups []storeAnswer
}

// key hashes the context with the base the jobs are loaded with; ok is
// false when it cannot be encoded.
func (c buildContext) key(baseHash [sha256.Size]byte) (key [sha256.Size]byte, ok bool) {
	p := c.g.prom
	prom, err := json.Marshal(viewOf("Prometheus", p, &p.Spec))
	if err != nil {
		return key, false
	}
	h := sha256.New()
	writeString(h, string(prom))
	writeString(h, string(c.g.in.FileReferencePolicy))
	for _, l := range c.classLookups {
		l.write(h)
	}
	h.Write(baseHash[:])
	h.Sum(key[:0])
	return key, true
}

// storeAnswer is one call to the Store, and its answer.
type storeAnswer struct {
	configMap bool
	namespace string
	secret    corev1.SecretKeySelector
	cm        corev1.ConfigMapKeySelector
	value     string
	err       error
}

func (l storeAnswer) ask(s Store) (string, error) {
	if l.configMap {
		return s.ConfigMapKey(l.namespace, l.cm)
	}
	return s.SecretKey(l.namespace, l.secret)
}

// sameAnswer says whether the Store answers l as before. The builders use
// an error's text only.
func (l storeAnswer) sameAnswer(s Store) bool {
	v, err := l.ask(s)
	if v != l.value || (err == nil) != (l.err == nil) {
		return false
	}
	return err == nil || err.Error() == l.err.Error()
}

func (l storeAnswer) write(h hash.Hash) {
	optional := func(o *bool) string {
		if o == nil {
			return "unset"
		}
		return map[bool]string{true: "true", false: "false"}[*o]
	}
	if l.configMap {
		writeString(h, "configmap")
		writeString(h, l.cm.Name)
		writeString(h, l.cm.Key)
		writeString(h, optional(l.cm.Optional))
	} else {
		writeString(h, "secret")
		writeString(h, l.secret.Name)
		writeString(h, l.secret.Key)
		writeString(h, optional(l.secret.Optional))
	}
	writeString(h, l.namespace)
	writeString(h, l.value)
	if l.err != nil {
		writeString(h, "error: "+l.err.Error())
	} else {
		writeString(h, "")
	}
}

// writeString writes s with its length, so that no two lists of strings
// write the same bytes.
func writeString(h hash.Hash, s string) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}

// recordingStore passes calls to a Store and keeps them with the answers.
type recordingStore struct {
	store   Store
	lookups []storeAnswer
}

// recording wraps store, unless it is nil: builders tell a missing Store
// from a missing Secret.
func recording(store Store) Store {
	if store == nil {
		return nil
	}
	return &recordingStore{store: store}
}

// copyOf keeps a selector's setting apart from the object it came from.
func copyOf(b *bool) *bool {
	if b == nil {
		return nil
	}
	return ptr(*b)
}

func lookupsOf(s Store) []storeAnswer {
	if r, ok := s.(*recordingStore); ok {
		return r.lookups
	}
	return nil
}

func (s *recordingStore) SecretKey(namespace string, sel corev1.SecretKeySelector) (string, error) {
	sel.Optional = copyOf(sel.Optional)
	l := storeAnswer{namespace: namespace, secret: sel}
	l.value, l.err = s.store.SecretKey(namespace, sel)
	s.lookups = append(s.lookups, l)
	return l.value, l.err
}

func (s *recordingStore) ConfigMapKey(namespace string, sel corev1.ConfigMapKeySelector) (string, error) {
	sel.Optional = copyOf(sel.Optional)
	l := storeAnswer{configMap: true, namespace: namespace, cm: sel}
	l.value, l.err = s.store.ConfigMapKey(namespace, sel)
	s.lookups = append(s.lookups, l)
	return l.value, l.err
}

// storeAgrees says whether the Store still gives the answers p was built
// from.
func (p part) storeAgrees(s Store) bool {
	for _, l := range p.lookups {
		if !l.sameAnswer(s) {
			return false
		}
	}
	return true
}
