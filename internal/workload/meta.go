package workload

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Labels and annotations of the compatibility contract: Prometheus
// Operator's names and values, which kube-prometheus's Services, PDBs and
// NetworkPolicies select on and which the selectors of existing
// StatefulSets (immutable) hold.
const (
	LabelName         = "app.kubernetes.io/name"
	LabelInstance     = "app.kubernetes.io/instance"
	LabelVersion      = "app.kubernetes.io/version"
	LabelManagedBy    = "app.kubernetes.io/managed-by"
	LabelOperatorName = "operator.prometheus.io/name"
	LabelShard        = "operator.prometheus.io/shard"
	LabelMode         = "operator.prometheus.io/mode"
	LabelPrometheus   = "prometheus"
	LabelAlertmanager = "alertmanager"

	// ManagedByPrometheusOperator is the app.kubernetes.io/managed-by value
	// of the objects Prometheus Operator also creates: it is part of their
	// StatefulSets' pod selector, which cannot change, so Vigil keeps it to
	// take over a Prometheus Operator installation without recreating them.
	ManagedByPrometheusOperator = "prometheus-operator"
	// ManagedByVigil is the value on objects only Vigil creates (the
	// config-reloader's Role and RoleBinding), as on the rule ConfigMaps.
	ManagedByVigil = "vigil"

	// legacyManagedBy is Prometheus Operator's older label of the same
	// meaning, still on everything it creates.
	legacyManagedBy = "managed-by"

	annotationDefaultContainer = "kubectl.kubernetes.io/default-container"

	// InputHashAnnotation holds a hash of the object as built, without this
	// annotation: the reconciler writes nothing when the object in the
	// cluster carries the same hash.
	InputHashAnnotation = "vigil.dev/input-hash"
)

// monitoringGroupVersion is the API group of the owners.
var monitoringGroupVersion = schema.GroupVersion{Group: "monitoring.coreos.com", Version: "v1"}

// merged returns one map of every layer, later layers winning; nil when
// they are all empty.
func merged(layers ...map[string]string) map[string]string {
	var out map[string]string
	for _, l := range layers {
		if len(l) == 0 {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		maps.Copy(out, l)
	}
	return out
}

// poManagedBy are the labels Prometheus Operator puts on every object it
// creates.
func poManagedBy() map[string]string {
	return map[string]string{legacyManagedBy: ManagedByPrometheusOperator, LabelManagedBy: ManagedByPrometheusOperator}
}

// withoutKubectlAnnotations drops kubectl.kubernetes.io/ annotations an
// object would inherit from its owner, so that `kubectl apply --prune` on
// the owner's manifests does not delete it.
func withoutKubectlAnnotations(a map[string]string) map[string]string {
	for k := range a {
		if strings.HasPrefix(k, "kubectl.kubernetes.io/") {
			delete(a, k)
		}
	}
	if len(a) == 0 {
		return nil
	}
	return a
}

// controllerRef is the owner reference that makes owner the controller of
// the object, so it is garbage collected with it.
func controllerRef(kind string, owner metav1.Object) metav1.OwnerReference {
	return metav1.OwnerReference{
		APIVersion:         monitoringGroupVersion.String(),
		Kind:               kind,
		Name:               owner.GetName(),
		UID:                owner.GetUID(),
		Controller:         ptr(true),
		BlockOwnerDeletion: ptr(true),
	}
}

// SetInputHash annotates obj with a hash of itself, for objects the
// operator builds outside this package, so that they are written only
// when they change too.
func SetInputHash(obj metav1.Object) { setInputHash(obj) }

// setInputHash annotates obj with a hash of itself. The JSON encoding of an
// API object is deterministic (struct fields in order, map keys sorted),
// so the same input always gives the same hash.
func setInputHash(obj metav1.Object) {
	a := obj.GetAnnotations()
	delete(a, InputHashAnnotation)
	b, err := json.Marshal(obj)
	if err != nil {
		panic(err) // API types always encode
	}
	sum := sha256.Sum256(b)
	a = merged(a, map[string]string{InputHashAnnotation: hex.EncodeToString(sum[:16])})
	obj.SetAnnotations(a)
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
