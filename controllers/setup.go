package controllers

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
	"github.com/vigil-monitoring/vigil/internal/rules"
	"github.com/vigil-monitoring/vigil/internal/selection"
)

// metadataOnly is an object of kind whose metadata only is watched and
// cached: Secrets and ConfigMaps are never cached in full.
func metadataOnly(kind string) *metav1.PartialObjectMetadata {
	m := &metav1.PartialObjectMetadata{}
	m.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind(kind))
	return m
}

// selectedChanged passes the changes of a selected object that can change
// an owner's configuration: its spec (generation) and its labels, which
// selectors read. Its status, which the bindings write, and its
// annotations cannot; reconciling on them would redo the whole
// configuration once per binding written.
var selectedChanged = builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.LabelChangedPredicate{}))

// SetupWithManager registers the reconciler and its watches: the
// Prometheus objects, what they own (metadata only), the objects they may
// select (mapped to the Prometheus objects that select them or are bound
// to them), Namespaces (their labels decide selection) and the Secrets
// and ConfigMaps a Prometheus read (metadata only).
func (r *PrometheusReconciler) SetupWithManager(mgr ctrl.Manager) error {
	r.caches, r.refs, r.uids = pipeline.NewCaches(), newReferences(), map[types.NamespacedName]types.UID{}
	r.status, r.pace = newStatusWriter(mgr.GetClient(), r.Recorder), newPace()
	if r.Metrics == nil {
		r.Metrics = NewMetrics(nil)
	}
	if err := mgr.Add(r.status); err != nil {
		return err
	}
	b := ctrl.NewControllerManagedBy(mgr).
		Named("prometheus").
		For(&monitoringv1.Prometheus{}).
		Owns(metadataOnly("Secret"), builder.OnlyMetadata).
		Owns(&appsv1.StatefulSet{}).
		Owns(&rbacv1.Role{}).
		Owns(&rbacv1.RoleBinding{}).
		// The governing Service is every Prometheus's of its namespace,
		// none its controller.
		Watches(&corev1.Service{}, handler.EnqueueRequestForOwner(mgr.GetScheme(), mgr.GetRESTMapper(), &monitoringv1.Prometheus{})).
		Owns(metadataOnly("ConfigMap"), builder.OnlyMetadata).
		Watches(metadataOnly("Namespace"), handler.EnqueueRequestsFromMapFunc(everyOwner(r.prometheuses)), builder.OnlyMetadata).
		Watches(metadataOnly("Secret"), handler.EnqueueRequestsFromMapFunc(readers(r.refs, "Secret")), builder.OnlyMetadata).
		Watches(metadataOnly("ConfigMap"), handler.EnqueueRequestsFromMapFunc(readers(r.refs, "ConfigMap")), builder.OnlyMetadata)
	for _, w := range []struct {
		obj  client.Object
		kind string
	}{
		{&monitoringv1.ServiceMonitor{}, "ServiceMonitor"},
		{&monitoringv1.PodMonitor{}, "PodMonitor"},
		{&monitoringv1.Probe{}, "Probe"},
		{&monitoringv1alpha1.ScrapeConfig{}, "ScrapeConfig"},
		{&monitoringv1.PrometheusRule{}, rules.KindPrometheusRule},
	} {
		b = b.Watches(w.obj, handler.EnqueueRequestsFromMapFunc(r.selecting(w.kind)), selectedChanged)
	}
	return b.Complete(r)
}

// prometheuses lists the Prometheus objects from the cache.
func (r *PrometheusReconciler) prometheuses(ctx context.Context) ([]*monitoringv1.Prometheus, error) {
	var l monitoringv1.PrometheusList
	if err := r.Client.List(ctx, &l); err != nil {
		return nil, err
	}
	out := make([]*monitoringv1.Prometheus, len(l.Items))
	for i := range l.Items {
		out[i] = &l.Items[i]
	}
	return out, nil
}

// selecting enqueues the Prometheus objects that select an object of
// kind, and those bound to it.
func (r *PrometheusReconciler) selecting(kind string) handler.MapFunc {
	return selectingOwners(r.Client, r.prometheuses, "prometheuses",
		func(p *monitoringv1.Prometheus, ns selection.Namespaces, obj client.Object) bool {
			return pipeline.SelectsForPrometheus(p, ns, kind, obj.GetNamespace(), obj.GetLabels()).Selected
		})
}

// readers enqueues the owners that read a Secret or ConfigMap of kind in
// their last reconcile.
func readers(refs *references, kind string) handler.MapFunc {
	return func(_ context.Context, obj client.Object) []reconcile.Request {
		var out []reconcile.Request
		for _, owner := range refs.ownersOf(kind, client.ObjectKeyFromObject(obj)) {
			out = append(out, reconcile.Request{NamespacedName: owner})
		}
		return out
	}
}
