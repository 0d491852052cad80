// Package restart_test restarts the operator: a new manager, started on
// what the previous one left, converges to the same objects without a
// single write.
package restart_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/controllers"
	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

var env *testenv.Env

func TestMain(m *testing.M) {
	os.Exit(testenv.Run(m, func(e *testenv.Env) error { env = e; return nil }))
}

// start runs an operator until the returned stop is called, counting its
// writes in m.
func start(t *testing.T, m *controllers.Metrics) (stop func()) {
	t.Helper()
	mgr, err := controllers.NewManager(env.Config, ctrl.Options{
		Metrics: metricsserver.Options{BindAddress: "0"}, HealthProbeBindAddress: "0",
		// A second manager in one process needs its own controller names.
		Controller: ctrlConfig(),
	})
	if err != nil {
		t.Fatal(err)
	}
	p := &controllers.PrometheusReconciler{Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), Recorder: mgr.GetEventRecorder("vigil"), Metrics: m}
	a := &controllers.AlertmanagerReconciler{Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), Recorder: mgr.GetEventRecorder("vigil"), Metrics: m}
	if err := p.SetupWithManager(mgr); err != nil {
		t.Fatal(err)
	}
	if err := a.SetupWithManager(mgr); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager: %v", err)
		}
	}
}

// versions are the resourceVersions of every object the operator writes
// or writes the status of, in the namespace.
func versions(t *testing.T, ns string) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	lists := map[string]client.ObjectList{
		"Secret": &corev1.SecretList{}, "ConfigMap": &corev1.ConfigMapList{}, "Service": &corev1.ServiceList{},
		"StatefulSet": &appsv1.StatefulSetList{}, "Prometheus": &monitoringv1.PrometheusList{},
		"Alertmanager": &monitoringv1.AlertmanagerList{}, "ServiceMonitor": &monitoringv1.ServiceMonitorList{},
		"PrometheusRule": &monitoringv1.PrometheusRuleList{},
	}
	for kind, l := range lists {
		if err := env.Client.List(ctx, l, client.InNamespace(ns)); err != nil {
			t.Fatal(err)
		}
		items, err := meta.ExtractList(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			o := it.(client.Object)
			out[kind+"/"+o.GetName()] = o.GetResourceVersion()
		}
	}
	return out
}

func TestRestartWritesNothing(t *testing.T) {
	g := NewWithT(t)
	g.SetDefaultEventuallyTimeout(60 * time.Second)
	ctx := context.Background()
	dir := testenv.KubePrometheusDir()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	for _, p := range append([]string{filepath.Join(dir, "namespace.yaml")}, files...) {
		objs, err := manifest.ReadFile(p)
		g.Expect(err).NotTo(HaveOccurred())
		for _, o := range objs {
			g.Expect(testenv.Apply(ctx, env.Client, o)).To(Succeed())
		}
	}

	stop := start(t, controllers.NewMetrics(nil))
	// Converged: the generated objects are there and a minute of quiet
	// (well, a second) changes nothing.
	g.Eventually(func() error {
		return env.Client.Get(ctx, client.ObjectKey{Namespace: "monitoring", Name: "prometheus-k8s"}, &appsv1.StatefulSet{})
	}).Should(Succeed())
	g.Eventually(func() error {
		return env.Client.Get(ctx, client.ObjectKey{Namespace: "monitoring", Name: "alertmanager-main"}, &appsv1.StatefulSet{})
	}).Should(Succeed())
	var last map[string]string
	g.Eventually(func() bool {
		v := versions(t, "monitoring")
		same := maps.Equal(v, last)
		last = v
		return same
	}, "60s", "1s").Should(BeTrue(), "settled: two looks a second apart see the same objects")
	stop()

	before := versions(t, "monitoring")
	second := controllers.NewMetrics(nil)
	stop = start(t, second)
	defer stop()
	// The new operator reconciles everything (skipping every write) and
	// writes nothing.
	g.Eventually(func() float64 { return second.Writes("skip") }).Should(BeNumerically(">=", 10))
	g.Consistently(func() map[string]string { return versions(t, "monitoring") }, "3s", "500ms").Should(Equal(before))
	g.Expect(second.Writes("create", "update", "delete")).To(BeZero())
}
