package controllers_test

import (
	"context"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// TestOwnerEventsNotRepeated: a Prometheus whose configuration cannot be
// generated gets one Warning Event, none more while nothing changes
// however often it is reconciled, and a new one when the failure changes.
func TestOwnerEventsNotRepeated(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := "owner-events"
	g.Expect(k.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})).To(Succeed())
	prom := &monitoringv1.Prometheus{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: ns},
		Spec: monitoringv1.PrometheusSpec{PrometheusSelection: monitoringv1.PrometheusSelection{
			ServiceMonitorSelector: &metav1.LabelSelector{},
			RuleSelector:           &metav1.LabelSelector{},
		}}}
	prom.Spec.AdditionalScrapeConfigs = &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "extra"}, Key: "jobs"}
	g.Expect(k.Create(ctx, prom)).To(Succeed())

	// reasons has an Event's reason once per time it was recorded: a
	// repeated Event is one object whose series counts the repeats.
	reasons := func() []string {
		var evs eventsv1.EventList
		_ = k.List(ctx, &evs, client.InNamespace(ns))
		var out []string
		for _, e := range evs.Items {
			if e.Regarding.Kind != "Prometheus" || e.Regarding.Name != "p" {
				continue
			}
			n := int32(1)
			if e.Series != nil {
				n = e.Series.Count
			}
			for range n {
				out = append(out, e.Reason)
			}
		}
		return out
	}
	g.Eventually(reasons).Should(Equal([]string{"ReferenceNotFound"}))

	// Reconciled again, twice, nothing changed: an annotation on the
	// Prometheus, then a PrometheusRule it selects, whose binding says
	// a reconcile ran after both.
	g.Expect(k.Get(ctx, client.ObjectKeyFromObject(prom), prom)).To(Succeed())
	untouched := client.MergeFrom(prom.DeepCopy())
	prom.Annotations = map[string]string{"touched": "yes"}
	g.Expect(k.Patch(ctx, prom, untouched)).To(Succeed()) // the operator writes its status meanwhile
	rule := &monitoringv1.PrometheusRule{ObjectMeta: metav1.ObjectMeta{Name: "r", Namespace: ns},
		Spec: monitoringv1.PrometheusRuleSpec{Groups: []monitoringv1.RuleGroup{{Name: "g", Rules: []monitoringv1.Rule{{Record: "r", Expr: intstr.FromString("up")}}}}}}
	g.Expect(k.Create(ctx, rule)).To(Succeed())
	// kube-prometheus's Prometheus selects every rule: TestKubePrometheus
	// counts its rule files.
	t.Cleanup(func() { _ = k.Delete(ctx, rule) })
	g.Eventually(func() bool {
		_ = k.Get(ctx, client.ObjectKeyFromObject(rule), rule)
		for _, b := range rule.Status.Bindings {
			if b.Namespace == ns && b.Name == "p" {
				return meta.IsStatusConditionTrue(b.Conditions, monitoringv1.ConditionAccepted)
			}
		}
		return false
	}).Should(BeTrue(), "the rule bound: reconciled")
	g.Consistently(reasons, "2s", "100ms").Should(Equal([]string{"ReferenceNotFound"}), "not repeated while nothing changes")

	// The Secret appears, but is not a list: another failure, another Event.
	g.Expect(k.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "extra", Namespace: ns},
		StringData: map[string]string{"jobs": "not: a list"}})).To(Succeed())
	g.Eventually(reasons).Should(ConsistOf("ReferenceNotFound", "InvalidSpec"))
	g.Consistently(reasons, "1s", "100ms").Should(ConsistOf("ReferenceNotFound", "InvalidSpec"))
}
