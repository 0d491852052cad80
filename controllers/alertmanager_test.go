package controllers_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"testing"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

func amConfig(namespace, name string) func() string {
	return func() string {
		var s corev1.Secret
		if err := k.Get(context.Background(), client.ObjectKey{Namespace: namespace, Name: "alertmanager-" + name + "-generated"}, &s); err != nil {
			return ""
		}
		r, err := gzip.NewReader(bytes.NewReader(s.Data["alertmanager.yaml.gz"]))
		if err != nil {
			return ""
		}
		b, _ := io.ReadAll(r)
		return string(b)
	}
}

// TestAlertmanagerMergesNamespaces: an Alertmanager with
// AlertmanagerConfigs in two namespaces gets the merged configuration,
// each route limited to its namespace, the bindings, and its StatefulSet.
func TestAlertmanagerMergesNamespaces(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	for _, ns := range []string{"alerting", "team-x", "team-y"} {
		g.Expect(k.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns, Labels: map[string]string{"alerts": "on"}}})).To(Succeed())
	}
	am := &monitoringv1.Alertmanager{ObjectMeta: metav1.ObjectMeta{Name: "main", Namespace: "alerting"},
		Spec: monitoringv1.AlertmanagerSpec{
			AlertmanagerConfigSelector:          &metav1.LabelSelector{},
			AlertmanagerConfigNamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"alerts": "on"}},
		}}
	g.Expect(k.Create(ctx, am)).To(Succeed())
	for _, ns := range []string{"team-x", "team-y"} {
		amc := &monitoringv1alpha1.AlertmanagerConfig{ObjectMeta: metav1.ObjectMeta{Name: "hooks", Namespace: ns},
			Spec: monitoringv1alpha1.AlertmanagerConfigSpec{
				Route:     &monitoringv1alpha1.Route{Receiver: "hook"},
				Receivers: []monitoringv1alpha1.Receiver{{Name: "hook", WebhookConfigs: []monitoringv1alpha1.WebhookConfig{{URL: ptrTo("http://hook." + ns + ".svc:8080/")}}}},
			}}
		g.Expect(k.Create(ctx, amc)).To(Succeed())
	}
	g.Eventually(amConfig("alerting", "main")).Should(And(
		ContainSubstring("receiver: team-x/hooks/hook"), ContainSubstring("receiver: team-y/hooks/hook"),
		ContainSubstring(`namespace="team-x"`), ContainSubstring(`namespace="team-y"`)))
	g.Eventually(func() bool {
		var amc monitoringv1alpha1.AlertmanagerConfig
		_ = k.Get(ctx, client.ObjectKey{Namespace: "team-y", Name: "hooks"}, &amc)
		return len(amc.Status.Bindings) == 1 && meta.IsStatusConditionTrue(amc.Status.Bindings[0].Conditions, monitoringv1.ConditionAccepted)
	}).Should(BeTrue())
	g.Eventually(func() error {
		return k.Get(ctx, client.ObjectKey{Namespace: "alerting", Name: "alertmanager-main"}, &appsv1.StatefulSet{})
	}).Should(Succeed())
	g.Eventually(func() error {
		return k.Get(ctx, client.ObjectKey{Namespace: "alerting", Name: "alertmanager-operated"}, &corev1.Service{})
	}).Should(Succeed())
}
