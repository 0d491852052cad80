package controllers

import (
	"context"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// statusOf is the status every selected kind has.
func statusOf(obj client.Object) *monitoringv1.ConfigResourceStatus {
	switch o := obj.(type) {
	case *monitoringv1.ServiceMonitor:
		return &o.Status
	case *monitoringv1.PodMonitor:
		return &o.Status
	case *monitoringv1.Probe:
		return &o.Status
	case *monitoringv1.PrometheusRule:
		return &o.Status
	case *monitoringv1alpha1.ScrapeConfig:
		return &o.Status
	case *monitoringv1alpha1.AlertmanagerConfig:
		return &o.Status
	}
	panic(fmt.Sprintf("no bindings on %T", obj))
}

// ownerRef names the owner in bindings.
type ownerRef struct {
	kind, resource, namespace, name string
	generation                      int64
}

func (o ownerRef) is(b monitoringv1.WorkloadBinding) bool {
	return b.Group == monitoringv1.GroupVersion.Group && b.Resource == o.resource && b.Namespace == o.namespace && b.Name == o.name
}

// binding is the owner's binding for a decision.
func (o ownerRef) binding(d pipeline.Decision, previous []metav1.Condition) monitoringv1.WorkloadBinding {
	c := metav1.Condition{
		Type: monitoringv1.ConditionAccepted, Status: metav1.ConditionTrue, Reason: string(d.Reason),
		Message: "the configuration includes it", ObservedGeneration: o.generation,
	}
	if !d.Accepted() {
		c.Status, c.Message = metav1.ConditionFalse, truncate(d.Message(), 32768)
	}
	conditions := slices.Clone(previous)
	meta.SetStatusCondition(&conditions, c)
	return monitoringv1.WorkloadBinding{Group: monitoringv1.GroupVersion.Group, Resource: o.resource,
		Namespace: o.namespace, Name: o.name, Conditions: conditions}
}

// equalBinding compares what a binding says, not when it was said.
func equalBinding(a, b monitoringv1.WorkloadBinding) bool {
	if len(a.Conditions) != len(b.Conditions) {
		return false
	}
	for i := range a.Conditions {
		x, y := a.Conditions[i], b.Conditions[i]
		if x.Type != y.Type || x.Status != y.Status || x.Reason != y.Reason || x.Message != y.Message || x.ObservedGeneration != y.ObservedGeneration {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

// countSelected sets the objects an owner selected, by kind and reason.
func (m *Metrics) countSelected(owner ownerRef, decisions []pipeline.Decision) {
	counts := map[[2]string]float64{}
	for _, d := range decisions {
		counts[[2]string{d.Kind, string(d.Reason)}]++
	}
	ownerName := owner.namespace + "/" + owner.name
	m.objects.DeletePartialMatch(map[string]string{"owner_kind": owner.kind, "owner": ownerName})
	for k, n := range counts {
		m.objects.WithLabelValues(owner.kind, ownerName, k[0], k[1]).Set(n)
	}
}

// setReconciled sets obj's Reconciled condition and paused flag, writing
// only when they change.
func setReconciled(ctx context.Context, c client.Client, obj client.Object, st *monitoringv1.WorkloadStatus, paused bool,
	status metav1.ConditionStatus, reason, msg string) error {
	before := obj.DeepCopyObject().(client.Object)
	conditions := slices.Clone(st.Conditions)
	meta.SetStatusCondition(&st.Conditions, metav1.Condition{
		Type: monitoringv1.ConditionReconciled, Status: status, Reason: reason,
		Message: truncate(msg, 32768), ObservedGeneration: obj.GetGeneration(),
	})
	wasPaused := st.Paused
	st.Paused = paused
	if equalConditions(conditions, st.Conditions) && wasPaused == paused {
		return nil
	}
	return c.Status().Patch(ctx, obj, client.MergeFrom(before))
}

// reject sets obj's Reconciled condition False with err's reason and
// message: obj cannot be reconciled until it, or what it reads, changes.
// A Warning Event says so when the failure is new, not each time a
// reconcile meets it again. What is new is judged on the condition the
// API server holds: the cache may not have the last reconcile's status
// yet.
func reject(ctx context.Context, c client.Client, reader client.Reader, recorder events.EventRecorder,
	obj client.Object, paused bool, action string, err error) error {
	reason, msg := string(rejection.ReasonOf(err)), truncate(err.Error(), 32768)
	held := obj.DeepCopyObject().(client.Object)
	if gerr := reader.Get(ctx, client.ObjectKeyFromObject(obj), held); gerr != nil {
		return gerr
	}
	was := meta.FindStatusCondition(workloadStatusOf(held).Conditions, monitoringv1.ConditionReconciled)
	isNew := was == nil || was.Status != metav1.ConditionFalse || was.Reason != reason || was.Message != msg
	if serr := setReconciled(ctx, c, obj, workloadStatusOf(obj), paused, metav1.ConditionFalse, reason, msg); serr != nil {
		return serr
	}
	if isNew {
		recorder.Eventf(obj, nil, corev1.EventTypeWarning, reason, action, "%s", truncate(err.Error(), 1000))
	}
	return nil
}

// workloadStatusOf is the status both owning kinds have.
func workloadStatusOf(obj client.Object) *monitoringv1.WorkloadStatus {
	switch o := obj.(type) {
	case *monitoringv1.Prometheus:
		return &o.Status.WorkloadStatus
	case *monitoringv1.Alertmanager:
		return &o.Status.WorkloadStatus
	}
	panic(fmt.Sprintf("no workload status on %T", obj))
}
