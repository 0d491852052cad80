package controllers_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
	"github.com/vigil-monitoring/vigil/internal/testenv"
	"github.com/vigil-monitoring/vigil/internal/workload/poref"
)

func init() {
	SetDefaultEventuallyTimeout(30 * time.Second)
	SetDefaultEventuallyPollingInterval(50 * time.Millisecond)
}

// applyFiles applies every manifest of the files, server-side.
func applyFiles(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		objs, err := manifest.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			if err := testenv.Apply(context.Background(), k, o); err != nil {
				t.Fatalf("%s: %s %s: %v", p, o.GetKind(), o.GetName(), err)
			}
		}
	}
}

// config is the gunzipped prometheus.yaml the operator wrote, "" while
// there is none.
func config(namespace, name string) func() string {
	return func() string {
		var s corev1.Secret
		if err := k.Get(context.Background(), client.ObjectKey{Namespace: namespace, Name: "prometheus-" + name}, &s); err != nil {
			return ""
		}
		r, err := gzip.NewReader(bytes.NewReader(s.Data["prometheus.yaml.gz"]))
		if err != nil {
			return ""
		}
		b, _ := io.ReadAll(r)
		return string(b)
	}
}

// TestKubePrometheus: kube-prometheus applied to a real API server gives
// the configuration vigilctl renders from the same files, its rules in
// ConfigMaps, and a binding on every selected object.
func TestKubePrometheus(t *testing.T) {
	g := NewWithT(t)
	files := applyKubePrometheus(t)

	inv, err := inventory.Load(files, "default")
	g.Expect(err).NotTo(HaveOccurred())
	want, err := pipeline.Prometheus(inv.Prometheuses[0], pipeline.FromInventory(inv, ""), nil)
	g.Expect(err).NotTo(HaveOccurred())
	g.Eventually(config("monitoring", "k8s")).Should(Equal(string(want.Config)))

	var cms corev1.ConfigMapList
	g.Eventually(func() int {
		_ = k.List(context.Background(), &cms, client.InNamespace("monitoring"), client.MatchingLabels{"prometheus-name": "k8s"})
		return len(cms.Items)
	}).Should(Equal(len(want.RuleConfigMaps)))
	files0 := 0
	for _, cm := range cms.Items {
		files0 += len(cm.Data)
	}
	g.Expect(files0).To(Equal(len(inv.PrometheusRules)), "one rule file per PrometheusRule")

	var sms monitoringv1.ServiceMonitorList
	g.Eventually(func() bool {
		_ = k.List(context.Background(), &sms)
		for _, sm := range sms.Items {
			if len(sm.Status.Bindings) != 1 || !meta.IsStatusConditionTrue(sm.Status.Bindings[0].Conditions, monitoringv1.ConditionAccepted) {
				return false
			}
		}
		return len(sms.Items) > 0
	}).Should(BeTrue(), "every ServiceMonitor bound and accepted")

	var p monitoringv1.Prometheus
	g.Eventually(func() bool {
		_ = k.Get(context.Background(), client.ObjectKey{Namespace: "monitoring", Name: "k8s"}, &p)
		return meta.IsStatusConditionTrue(p.Status.Conditions, monitoringv1.ConditionReconciled)
	}).Should(BeTrue())
}

// applyKubePrometheus applies kube-prometheus's manifests (again, when an
// earlier test did: nothing changes) and returns their files.
func applyKubePrometheus(t *testing.T) []string {
	t.Helper()
	dir := testenv.KubePrometheusDir()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	applyFiles(t, filepath.Join(dir, "namespace.yaml"))
	applyFiles(t, files...)
	return files
}

// TestKubePrometheusAgainstPrometheusOperator: the StatefulSets and
// governing Services the reconcilers write for kube-prometheus are what
// Prometheus Operator 0.93 created for it (po-reference), but for the
// differences internal/workload's test allows, checked by the same code
// (package poref).
func TestKubePrometheusAgainstPrometheusOperator(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	applyKubePrometheus(t)
	// Reconciled is written last, after the workload.
	reconciled := func(o client.Object, conditions *[]metav1.Condition) func() bool {
		return func() bool {
			if err := k.Get(ctx, client.ObjectKeyFromObject(o), o); err != nil {
				return false
			}
			c := meta.FindStatusCondition(*conditions, monitoringv1.ConditionReconciled)
			return c != nil && c.Status == metav1.ConditionTrue && c.ObservedGeneration == o.GetGeneration()
		}
	}
	p := &monitoringv1.Prometheus{ObjectMeta: metav1.ObjectMeta{Namespace: "monitoring", Name: "k8s"}}
	am := &monitoringv1.Alertmanager{ObjectMeta: metav1.ObjectMeta{Namespace: "monitoring", Name: "main"}}
	g.Eventually(reconciled(p, &p.Status.Conditions)).Should(BeTrue(), "Prometheus k8s reconciled")
	g.Eventually(reconciled(am, &am.Status.Conditions)).Should(BeTrue(), "Alertmanager main reconciled")

	for _, ref := range poref.KubePrometheus {
		t.Run(ref.String(), func(t *testing.T) {
			obj := map[string]client.Object{"StatefulSet": &appsv1.StatefulSet{}, "Service": &corev1.Service{}}[ref.Kind]
			obj.SetNamespace(ref.Namespace)
			obj.SetName(ref.Name)
			written, err := poref.ReadBack(ctx, k, obj)
			if err != nil {
				t.Fatal(err)
			}
			ref.Check(t, written)
		})
	}
}

// TestMonitorLifecycle: adding, changing and deleting a ServiceMonitor
// updates the configuration; an invalid one is left out with a binding
// reason and an Event while the rest keep working; a Secret it references
// changing makes the configuration follow; deleting the generated Secret
// gets it back.
func TestMonitorLifecycle(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := "lifecycle"
	g.Expect(k.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})).To(Succeed())
	prom := &monitoringv1.Prometheus{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: ns},
		Spec: monitoringv1.PrometheusSpec{PrometheusSelection: monitoringv1.PrometheusSelection{
			ServiceMonitorSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"team": "a"}},
		}}}
	g.Expect(k.Create(ctx, prom)).To(Succeed())
	g.Eventually(config(ns, "p")).Should(ContainSubstring("global:"))
	g.Expect(config(ns, "p")()).NotTo(ContainSubstring("job_name"))

	sm := &monitoringv1.ServiceMonitor{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: ns, Labels: map[string]string{"team": "a"}},
		Spec: monitoringv1.ServiceMonitorSpec{Endpoints: []monitoringv1.Endpoint{{Port: "http"}}}}
	g.Expect(k.Create(ctx, sm)).To(Succeed())
	g.Eventually(config(ns, "p")).Should(ContainSubstring("job_name: serviceMonitor/lifecycle/web/0"))

	// A patch, not an update: the operator writes the monitor's status
	// (its binding) meanwhile, which an update's resourceVersion would
	// conflict with.
	g.Expect(k.Get(ctx, client.ObjectKeyFromObject(sm), sm)).To(Succeed())
	interval := client.MergeFrom(sm.DeepCopy())
	sm.Spec.Endpoints[0].Interval = "17s"
	g.Expect(k.Patch(ctx, sm, interval)).To(Succeed())
	g.Eventually(config(ns, "p")).Should(ContainSubstring("scrape_interval: 17s"))

	// Not selected: labels that do not match.
	other := &monitoringv1.ServiceMonitor{ObjectMeta: metav1.ObjectMeta{Name: "other", Namespace: ns, Labels: map[string]string{"team": "b"}},
		Spec: monitoringv1.ServiceMonitorSpec{Endpoints: []monitoringv1.Endpoint{{Port: "http"}}}}
	g.Expect(k.Create(ctx, other)).To(Succeed())

	// Invalid: refers to a Secret that does not exist.
	bad := &monitoringv1.ServiceMonitor{ObjectMeta: metav1.ObjectMeta{Name: "bad", Namespace: ns, Labels: map[string]string{"team": "a"}},
		Spec: monitoringv1.ServiceMonitorSpec{Endpoints: []monitoringv1.Endpoint{{Port: "http"}}}}
	bad.Spec.Endpoints[0].BearerTokenSecret = &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "token"}, Key: "t"}
	g.Expect(k.Create(ctx, bad)).To(Succeed())
	g.Eventually(func() string {
		_ = k.Get(ctx, client.ObjectKeyFromObject(bad), bad)
		for _, b := range bad.Status.Bindings {
			// kube-prometheus's Prometheus, from another test, binds it too.
			if c := meta.FindStatusCondition(b.Conditions, monitoringv1.ConditionAccepted); b.Namespace == ns && c != nil && c.Status == metav1.ConditionFalse {
				return c.Reason
			}
		}
		return ""
	}).Should(Equal("ReferenceNotFound"))
	g.Expect(config(ns, "p")()).To(ContainSubstring("job_name: serviceMonitor/lifecycle/web/0"), "the rest keeps working")
	g.Expect(config(ns, "p")()).NotTo(ContainSubstring("serviceMonitor/lifecycle/bad/0"))
	g.Eventually(func() []string {
		var evs eventsv1.EventList
		_ = k.List(ctx, &evs, client.InNamespace(ns))
		var reasons []string
		for _, e := range evs.Items {
			// kube-prometheus's Prometheus, from another test, selects it too.
			if e.Regarding.Name == "bad" && e.Related != nil && e.Related.Name == "p" {
				reasons = append(reasons, e.Reason)
			}
		}
		return reasons
	}).Should(ConsistOf("ReferenceNotFound"))
	g.Expect(k.Get(ctx, client.ObjectKeyFromObject(other), other)).To(Succeed())
	g.Expect(other.Status.Bindings).NotTo(ContainElement(HaveField("Namespace", ns)), "not selected, not bound")

	// The Secret appears: the configuration follows, with its value.
	g.Expect(k.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "token", Namespace: ns},
		StringData: map[string]string{"t": "first-token"}})).To(Succeed())
	g.Eventually(config(ns, "p")).Should(ContainSubstring("first-token"))
	var s corev1.Secret
	g.Expect(k.Get(ctx, client.ObjectKey{Namespace: ns, Name: "token"}, &s)).To(Succeed())
	s.Data["t"] = []byte("second-token")
	g.Expect(k.Update(ctx, &s)).To(Succeed())
	g.Eventually(config(ns, "p")).Should(ContainSubstring("second-token"))

	// Deleted: the job goes.
	g.Expect(k.Delete(ctx, sm)).To(Succeed())
	g.Eventually(config(ns, "p")).ShouldNot(ContainSubstring("serviceMonitor/lifecycle/web/0"))

	// The generated Secret deleted comes back.
	g.Expect(k.Delete(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "prometheus-p", Namespace: ns}})).To(Succeed())
	g.Eventually(func() bool {
		err := k.Get(ctx, client.ObjectKey{Namespace: ns, Name: "prometheus-p"}, &corev1.Secret{})
		return err == nil
	}).Should(BeTrue())
	g.Eventually(config(ns, "p")).Should(ContainSubstring("serviceMonitor/lifecycle/bad/0"))
}

// TestWorkload: a Prometheus gets its StatefulSets (one per shard), the
// governing Service and the reloader's Role; an unchanged reconcile
// writes nothing; fewer shards remove the extra StatefulSets.
func TestWorkload(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := "workload"
	g.Expect(k.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})).To(Succeed())
	prom := &monitoringv1.Prometheus{ObjectMeta: metav1.ObjectMeta{Name: "w", Namespace: ns},
		Spec: monitoringv1.PrometheusSpec{PrometheusSelection: monitoringv1.PrometheusSelection{
			ServiceMonitorSelector: &metav1.LabelSelector{},
		}, Shards: ptrTo(int32(2))}}
	g.Expect(k.Create(ctx, prom)).To(Succeed())
	sts := func(name string) func() error {
		return func() error { return k.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &appsv1.StatefulSet{}) }
	}
	g.Eventually(sts("prometheus-w")).Should(Succeed())
	g.Eventually(sts("prometheus-w-shard-1")).Should(Succeed())
	g.Eventually(func() error {
		return k.Get(ctx, client.ObjectKey{Namespace: ns, Name: "prometheus-operated"}, &corev1.Service{})
	}).Should(Succeed())
	g.Eventually(func() error {
		return k.Get(ctx, client.ObjectKey{Namespace: ns, Name: "prometheus-w-config-reloader"}, &rbacv1.Role{})
	}).Should(Succeed())

	// Settled: a reconcile forced by a label on the namespace (which
	// enqueues every Prometheus) writes nothing.
	versions := func() map[string]string {
		out := map[string]string{}
		var stss appsv1.StatefulSetList
		_ = k.List(ctx, &stss, client.InNamespace(ns))
		for _, s := range stss.Items {
			out["sts/"+s.Name] = s.ResourceVersion
		}
		var secrets corev1.SecretList
		_ = k.List(ctx, &secrets, client.InNamespace(ns))
		for _, s := range secrets.Items {
			out["secret/"+s.Name] = s.ResourceVersion
		}
		var cms corev1.ConfigMapList
		_ = k.List(ctx, &cms, client.InNamespace(ns))
		for _, c := range cms.Items {
			out["cm/"+c.Name] = c.ResourceVersion
		}
		var svc corev1.Service
		_ = k.Get(ctx, client.ObjectKey{Namespace: ns, Name: "prometheus-operated"}, &svc)
		out["svc"] = svc.ResourceVersion
		return out
	}
	g.Consistently(versions, "1s", "200ms").Should(Equal(versions()))
	before := versions()
	skips := skipped()
	var nsObj corev1.Namespace
	g.Expect(k.Get(ctx, client.ObjectKey{Name: ns}, &nsObj)).To(Succeed())
	nsObj.Labels["touched"] = "yes"
	g.Expect(k.Update(ctx, &nsObj)).To(Succeed())
	g.Eventually(skipped).Should(BeNumerically(">", skips), "the namespace change reconciled")
	g.Consistently(versions, "1s", "200ms").Should(Equal(before), "no write for an unchanged input")

	g.Expect(k.Get(ctx, client.ObjectKeyFromObject(prom), prom)).To(Succeed())
	unsharded := client.MergeFrom(prom.DeepCopy())
	prom.Spec.Shards = ptrTo(int32(1))
	g.Expect(k.Patch(ctx, prom, unsharded)).To(Succeed()) // the operator writes its status meanwhile
	g.Eventually(sts("prometheus-w-shard-1")).ShouldNot(Succeed())
	g.Expect(sts("prometheus-w")()).To(Succeed())
}

func ptrTo[T any](v T) *T { return &v }

// skipped counts the writes the operator found unneeded.
func skipped() float64 { return metrics.Writes("skip") }

// TestOverlappingOwners: two Prometheus objects selecting overlapping
// monitors each get their own configuration, and each monitor a binding
// per owner; a monitor in a namespace the selector does not take is in
// neither.
func TestOverlappingOwners(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	for _, ns := range []string{"overlap", "overlap-apps", "overlap-other"} {
		labels := map[string]string{}
		if ns == "overlap-apps" {
			labels["scrape"] = "yes"
		}
		g.Expect(k.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns, Labels: labels}})).To(Succeed())
	}
	for _, p := range []struct{ name, team string }{{"all", ""}, {"team-a", "a"}} {
		sel := &metav1.LabelSelector{}
		if p.team != "" {
			sel.MatchLabels = map[string]string{"team": p.team}
		}
		g.Expect(k.Create(ctx, &monitoringv1.Prometheus{ObjectMeta: metav1.ObjectMeta{Name: p.name, Namespace: "overlap"},
			Spec: monitoringv1.PrometheusSpec{PrometheusSelection: monitoringv1.PrometheusSelection{
				ServiceMonitorSelector:          sel,
				ServiceMonitorNamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"scrape": "yes"}},
			}}})).To(Succeed())
	}
	for _, m := range []struct{ ns, name, team string }{{"overlap-apps", "a", "a"}, {"overlap-apps", "b", "b"}, {"overlap-other", "c", "a"}} {
		g.Expect(k.Create(ctx, &monitoringv1.ServiceMonitor{ObjectMeta: metav1.ObjectMeta{Name: m.name, Namespace: m.ns, Labels: map[string]string{"team": m.team}},
			Spec: monitoringv1.ServiceMonitorSpec{Endpoints: []monitoringv1.Endpoint{{Port: "http"}}}})).To(Succeed())
	}
	g.Eventually(config("overlap", "all")).Should(And(
		ContainSubstring("serviceMonitor/overlap-apps/a/0"), ContainSubstring("serviceMonitor/overlap-apps/b/0")))
	g.Eventually(config("overlap", "team-a")).Should(ContainSubstring("serviceMonitor/overlap-apps/a/0"))
	g.Expect(config("overlap", "team-a")()).NotTo(ContainSubstring("serviceMonitor/overlap-apps/b/0"))
	for _, p := range []string{"all", "team-a"} {
		g.Expect(config("overlap", p)()).NotTo(ContainSubstring("overlap-other"), "namespace not selected")
	}
	g.Eventually(func() []string {
		var sm monitoringv1.ServiceMonitor
		_ = k.Get(ctx, client.ObjectKey{Namespace: "overlap-apps", Name: "a"}, &sm)
		var owners []string
		for _, b := range sm.Status.Bindings {
			if b.Namespace == "overlap" { // other tests' Prometheus objects select every namespace
				owners = append(owners, b.Name)
			}
		}
		return owners
	}).Should(ConsistOf("all", "team-a"))
}
