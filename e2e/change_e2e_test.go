//go:build e2e

package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/vigil-monitoring/vigil/e2e/harness"
)

const exampleMonitor = `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: example-app
  namespace: default
  labels: {team: platform}
spec:
  jobLabel: app.kubernetes.io/name
  selector:
    matchLabels: {app.kubernetes.io/name: example-app}
  endpoints:
  - port: web
    interval: 15s
    relabelings:
    - {targetLabel: e2e_change, replacement: "%s"}
`

// A ServiceMonitor changed is live in Prometheus within seconds: the
// config-reloader reads the Secret through the API instead of waiting for
// the kubelet's volume sync.
func TestServiceMonitorChangeIsLive(t *testing.T) {
	ctx := context.Background()
	for i := range 3 {
		mark := fmt.Sprintf("c%d-%d", i, time.Now().UnixNano())
		start := time.Now()
		if err := env.Apply(ctx, fmt.Sprintf(exampleMonitor, mark)); err != nil {
			t.Fatal(err)
		}
		err := env.Poll(ctx, time.Minute, "the change in Prometheus's loaded configuration", func(ctx context.Context) (bool, error) {
			cfg, err := harness.LoadedConfig(ctx, env.PrometheusURL)
			return strings.Contains(cfg, mark), err
		})
		if err != nil {
			t.Fatal(err)
		}
		record(fmt.Sprintf("ServiceMonitor applied -> config loaded by Prometheus (%d)", i+1), time.Since(start))
		// The targets take the new labels at Prometheus's next discovery
		// update (it sends them at most every 5 s).
		_, err = env.WaitTarget(ctx, env.PrometheusURL, time.Minute, "the change in Prometheus's targets", func(tg harness.Target) bool {
			return tg.ScrapePool == "serviceMonitor/default/example-app/0" && tg.Labels["e2e_change"] == mark
		})
		if err != nil {
			t.Fatal(err)
		}
		record(fmt.Sprintf("ServiceMonitor applied -> targets relabelled (%d)", i+1), time.Since(start))
	}
}

// A ServiceMonitor whose relabel regex does not compile is left out, its
// status says why, and everything else is still scraped.
func TestBrokenRegexIsExcluded(t *testing.T) {
	ctx := context.Background()
	err := env.Apply(ctx, `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: broken-regex, namespace: default}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: example-app}
  endpoints:
  - port: web
    relabelings:
    - {sourceLabels: [__meta_kubernetes_pod_name], regex: "example-(", targetLabel: broken}
`)
	if err != nil {
		t.Fatal(err)
	}
	dyn := dynamic.NewForConfigOrDie(env.Cluster.Config)
	gvr := schema.GroupVersionResource{Group: "monitoring.coreos.com", Version: "v1", Resource: "servicemonitors"}
	var reason, message string
	err = env.Poll(ctx, time.Minute, "broken-regex's binding to Prometheus dev rejected", func(ctx context.Context) (bool, error) {
		sm, err := dyn.Resource(gvr).Namespace("default").Get(ctx, "broken-regex", metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		reason, message = acceptedCondition(sm, "dev")
		return reason != "", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(message, "example-(") {
		t.Errorf("condition Accepted=False %s: %q does not name the regex", reason, message)
	}
	t.Logf("broken-regex: Accepted=False %s: %s", reason, message)
	// The rest is still scraped, and the broken monitor has no job.
	waitPoolUp(t, env.PrometheusURL, "serviceMonitor/default/example-app/0", 2, time.Minute)
	ts, err := poolTargets(ctx, env.PrometheusURL, "serviceMonitor/default/broken-regex/0")
	if err != nil || len(ts) != 0 {
		t.Errorf("broken-regex has targets %v (%v)", ts, err)
	}
}

// acceptedCondition is the reason and message of a binding's Accepted
// condition when it is False ("" while it is not).
func acceptedCondition(obj *unstructured.Unstructured, prometheus string) (string, string) {
	bindings, _, _ := unstructured.NestedSlice(obj.Object, "status", "bindings")
	for _, b := range bindings {
		bm, _ := b.(map[string]any)
		if bm["name"] != prometheus {
			continue
		}
		conds, _, _ := unstructured.NestedSlice(bm, "conditions")
		for _, c := range conds {
			cm, _ := c.(map[string]any)
			if cm["type"] == "Accepted" && cm["status"] == "False" {
				return fmt.Sprint(cm["reason"]), fmt.Sprint(cm["message"])
			}
		}
	}
	return "", ""
}
