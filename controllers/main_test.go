package controllers_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/vigil-monitoring/vigil/controllers"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

var (
	env *testenv.Env
	// metrics are the operator's.
	metrics = controllers.NewMetrics(prometheus.NewRegistry())
	// k is an uncached client: what the test reads is the API server's.
	k client.Client
	// cached is the operator's cache: what its reconcilers read.
	cached client.Reader
)

// TestMain starts a real API server and the operator's manager on it.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var err error
	if env, err = testenv.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = env.Stop() }()
	k = env.Client
	mgr, err := controllers.NewManager(env.Config, ctrl.Options{
		Metrics: metricsserver.Options{BindAddress: "0"}, HealthProbeBindAddress: "0",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	cached = mgr.GetCache()
	r := &controllers.PrometheusReconciler{Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), Recorder: mgr.GetEventRecorder("vigil"),
		Metrics: metrics}
	if err := r.SetupWithManager(mgr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	a := &controllers.AlertmanagerReconciler{Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), Recorder: mgr.GetEventRecorder("vigil"),
		Metrics: r.Metrics}
	if err := a.SetupWithManager(mgr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	kr := &controllers.KubeletReconciler{Client: mgr.GetClient(), Service: types.NamespacedName{Namespace: "kube-system", Name: "kubelet"}, Metrics: r.Metrics}
	if err := kr.SetupWithManager(mgr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	code := m.Run()
	cancel()
	if err := <-done; err != nil {
		fmt.Fprintln(os.Stderr, "manager:", err)
		return 1
	}
	return code
}
