package controllers

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/vigil-monitoring/vigil/internal/scheme"
	"github.com/vigil-monitoring/vigil/internal/workload"
)

// NewManager is a manager whose client never caches Secrets or
// ConfigMaps (a Get goes to the API server, and only their metadata is
// watched, see SetupWithManager), and whose cache holds only the
// StatefulSets, Services, Roles, RoleBindings, Endpoints and
// EndpointSlices Vigil manages (see managed): the cluster's others are
// none of its business, and in a large cluster they would be most of its
// memory.
func NewManager(cfg *rest.Config, opts ctrl.Options) (ctrl.Manager, error) {
	if opts.Scheme == nil {
		opts.Scheme = scheme.New()
	}
	opts.Client.Cache = &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}, &corev1.ConfigMap{}}}
	if opts.Cache.ByObject == nil {
		opts.Cache.ByObject = map[client.Object]cache.ByObject{}
	}
	for _, o := range []client.Object{&appsv1.StatefulSet{}, &corev1.Service{}, &rbacv1.Role{}, &rbacv1.RoleBinding{},
		&corev1.Endpoints{}, //nolint:staticcheck // the kubelet's, which kube-prometheus's ServiceMonitor discovers
		&discoveryv1.EndpointSlice{}} {
		opts.Cache.ByObject[o] = cache.ByObject{Label: managed()}
	}
	// Managed fields list every field an object sets, and Vigil reads none
	// of them (it writes by comparing, not by server-side apply); an update
	// without them keeps the API server's.
	if opts.Cache.DefaultTransform == nil {
		opts.Cache.DefaultTransform = cache.TransformStripManagedFields()
	}
	return ctrl.NewManager(cfg, opts)
}

// managed selects the objects Vigil writes by their
// app.kubernetes.io/managed-by label: prometheus-operator on those
// Prometheus Operator also creates (StatefulSets, governing Services: the
// compatibility contract, so Vigil sees, and takes over, Prometheus
// Operator's own), vigil on the others (the config-reloader's Role and
// RoleBinding, the kubelet's Service, Endpoints and EndpointSlice). An
// object of one of Vigil's names without the label is not cached; the
// writer reads it from the API server when creating it fails (see
// apply).
func managed() labels.Selector {
	r, err := labels.NewRequirement(workload.LabelManagedBy, selection.In,
		[]string{workload.ManagedByPrometheusOperator, workload.ManagedByVigil})
	if err != nil {
		panic(err) // constant, valid values
	}
	return labels.NewSelector().Add(*r)
}
