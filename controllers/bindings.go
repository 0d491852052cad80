package controllers

import (
	"context"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
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

// setBinding makes obj's binding for owner say d (or removes it when d
// is nil), writing only when that changes it. It reports whether the
// Accepted condition changed (status or reason), for the caller's Event.
func setBinding(ctx context.Context, c client.Client, obj client.Object, owner ownerRef, d *pipeline.Decision) (bool, error) {
	changed := false
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		changed = false
		st := statusOf(obj)
		i := slices.IndexFunc(st.Bindings, owner.is)
		var want []monitoringv1.WorkloadBinding
		switch {
		case d == nil && i < 0:
			return nil
		case d == nil:
			want = slices.Delete(slices.Clone(st.Bindings), i, i+1)
		default:
			var prev []metav1.Condition
			if i >= 0 {
				prev = st.Bindings[i].Conditions
			}
			b := owner.binding(*d, prev)
			if i >= 0 && equalBinding(st.Bindings[i], b) {
				return nil
			}
			want = slices.Clone(st.Bindings)
			if i >= 0 {
				want[i] = b
			} else {
				want = append(want, b)
			}
		}
		changed = true
		st.Bindings = want
		err := c.Status().Update(ctx, obj)
		if apierrors.IsConflict(err) {
			// Another owner wrote its binding: read again and redo ours.
			if gerr := c.Get(ctx, client.ObjectKeyFromObject(obj), obj); gerr != nil {
				return gerr
			}
		}
		return err
	})
	return changed, err
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

// bind writes owner's binding on every selected object (of the kinds
// given; all when none), removes it from those no longer selected, sends
// an Event when an object becomes rejected or its reason changes, and
// counts the objects by decision.
func bind(ctx context.Context, c client.Client, recorder events.EventRecorder, m *Metrics, owner ownerRef, ownerObj client.Object,
	decisions []pipeline.Decision, cands candidates, kinds ...string) error {
	decided := map[string]bool{}
	counts := map[[2]string]float64{}
	for i := range decisions {
		d := &decisions[i]
		key := candidateKey(d.Kind, d.Namespace, d.Name)
		decided[key] = true
		counts[[2]string{d.Kind, string(d.Reason)}]++
		obj, ok := cands[key]
		if !ok {
			continue
		}
		changed, err := setBinding(ctx, c, obj, owner, d)
		if err != nil {
			return err
		}
		if changed && !d.Accepted() {
			recorder.Eventf(obj, ownerObj, corev1.EventTypeWarning, string(d.Reason), "Select",
				"%s %s/%s left it out of its configuration: %s", owner.kind, owner.namespace, owner.name, truncate(d.Message(), 1000))
		}
	}
	for key, obj := range cands {
		if decided[key] || (len(kinds) > 0 && !slices.Contains(kinds, kindOfKey(key))) {
			continue
		}
		if _, err := setBinding(ctx, c, obj, owner, nil); err != nil {
			return err
		}
	}
	ownerName := owner.namespace + "/" + owner.name
	m.objects.DeletePartialMatch(map[string]string{"owner_kind": owner.kind, "owner": ownerName})
	for k, n := range counts {
		m.objects.WithLabelValues(owner.kind, ownerName, k[0], k[1]).Set(n)
	}
	return nil
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
