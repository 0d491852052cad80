package controllers_test

import (
	"context"
	"testing"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// TestCacheHoldsManagedObjectsOnly: the operator's cache holds the
// StatefulSets, Services, Roles and RoleBindings it writes, not the
// others of the cluster; an object of one of its names that lacks its
// label is taken over, and cached from then on.
func TestCacheHoldsManagedObjectsOnly(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := "cache"
	g.Expect(k.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})).To(Succeed())
	in := func(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Namespace: ns, Name: name} }
	app := map[string]string{"app": "other"}
	// Created before the Prometheus: a watch delivers in order, so once
	// its objects are in the cache, these would be too if it held them.
	unmanaged := []client.Object{
		&corev1.Service{ObjectMeta: in("other"), Spec: corev1.ServiceSpec{Selector: app, Ports: []corev1.ServicePort{{Port: 80}}}},
		&appsv1.StatefulSet{ObjectMeta: in("other"), Spec: appsv1.StatefulSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: app},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: app},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "app"}}}},
		}},
		&rbacv1.Role{ObjectMeta: in("other")},
		&rbacv1.RoleBinding{ObjectMeta: in("other"), RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: "other"}},
	}
	for _, o := range unmanaged {
		g.Expect(k.Create(ctx, o)).To(Succeed())
	}
	g.Expect(k.Create(ctx, &rbacv1.Role{ObjectMeta: in("prometheus-c-config-reloader")})).To(Succeed(), "Vigil's name, without its label")
	g.Expect(k.Create(ctx, &monitoringv1.Prometheus{ObjectMeta: in("c"), Spec: monitoringv1.PrometheusSpec{
		PrometheusSelection: monitoringv1.PrometheusSelection{ServiceMonitorSelector: &metav1.LabelSelector{}},
	}})).To(Succeed())

	role := &rbacv1.Role{ObjectMeta: in("prometheus-c-config-reloader")}
	for _, o := range []client.Object{&corev1.Service{ObjectMeta: in("prometheus-operated")}, &appsv1.StatefulSet{ObjectMeta: in("prometheus-c")},
		&rbacv1.RoleBinding{ObjectMeta: in("prometheus-c-config-reloader")}, role} {
		g.Eventually(func() error { return cached.Get(ctx, client.ObjectKeyFromObject(o), o) }).Should(Succeed(), "%T %s cached", o, o.GetName())
	}
	g.Eventually(func() []rbacv1.PolicyRule {
		_ = cached.Get(ctx, client.ObjectKeyFromObject(role), role)
		return role.Rules
	}).ShouldNot(BeEmpty(), "the Role without the label is Vigil's now")

	for _, o := range unmanaged {
		err := cached.Get(ctx, client.ObjectKeyFromObject(o), o.DeepCopyObject().(client.Object))
		g.Expect(apierrors.IsNotFound(err)).To(BeTrue(), "%T %s is not cached: %v", o, o.GetName(), err)
	}
}
