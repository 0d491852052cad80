//go:build e2e

package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/vigil-monitoring/vigil/e2e/harness"
)

// poolTargets are the active targets of one scrape pool.
func poolTargets(ctx context.Context, promURL, pool string) ([]harness.Target, error) {
	ts, err := harness.Targets(ctx, promURL)
	if err != nil {
		return nil, err
	}
	var out []harness.Target
	for _, t := range ts {
		if t.ScrapePool == pool {
			out = append(out, t)
		}
	}
	return out, nil
}

// waitPoolUp waits until a scrape pool has want targets, all up.
func waitPoolUp(t *testing.T, promURL, pool string, want int, timeout time.Duration) []harness.Target {
	t.Helper()
	ctx := context.Background()
	var got []harness.Target
	err := env.Poll(ctx, timeout, fmt.Sprintf("%d targets of %s up", want, pool), func(ctx context.Context) (bool, error) {
		ts, err := poolTargets(ctx, promURL, pool)
		if err != nil {
			return false, err
		}
		got = ts
		if len(ts) != want {
			return false, nil
		}
		for _, tg := range ts {
			if tg.Health != "up" {
				return false, fmt.Errorf("%s %s: %s", tg.ScrapeURL, tg.Health, tg.LastError)
			}
		}
		return true, nil
	})
	if err != nil {
		t.Fatalf("%v (targets: %+v)", err, got)
	}
	return got
}

// podIPs maps the IPs of a namespace's pods with a label to their names.
func podIPs(t *testing.T, namespace, selector string) map[string]string {
	t.Helper()
	pods, err := env.Client.CoreV1().Pods(namespace).List(context.Background(), metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range pods.Items {
		out[p.Status.PodIP] = p.Name
	}
	return out
}

// The example app is scraped through its ServiceMonitor with the target
// labels of Prometheus Operator's contract.
func TestExampleAppScraped(t *testing.T) {
	targets := waitPoolUp(t, env.PrometheusURL, "serviceMonitor/default/example-app/0", 2, time.Minute)
	pods := podIPs(t, "default", "app.kubernetes.io/name=example-app")
	for _, tg := range targets {
		ip, port, _ := strings.Cut(tg.Labels["instance"], ":")
		want := map[string]string{
			"namespace": "default", "service": "example-app", "endpoint": "web",
			"job": "example-app", "container": "app", "pod": pods[ip],
		}
		for k, v := range want {
			if tg.Labels[k] != v {
				t.Errorf("target %s: label %s=%q, want %q (labels %v)", tg.ScrapeURL, k, tg.Labels[k], v, tg.Labels)
			}
		}
		if pods[ip] == "" || port != "8080" {
			t.Errorf("target %s: instance %q is not an example-app pod's IP:8080 (pods %v)", tg.ScrapeURL, tg.Labels["instance"], pods)
		}
	}
}

// The operator's own metrics are scraped through config/prometheus's
// ServiceMonitor, as make deploy installs it.
func TestOperatorMetricsScraped(t *testing.T) {
	targets := waitPoolUp(t, env.PrometheusURL, "serviceMonitor/vigil-system/vigil-operator/0", 1, 2*time.Minute)
	l := targets[0].Labels
	if l["namespace"] != "vigil-system" || l["service"] != "vigil-operator-metrics" || l["job"] != "vigil-operator-metrics" || l["endpoint"] != "http-metrics" {
		t.Errorf("operator target labels %v", l)
	}
	err := env.Poll(context.Background(), time.Minute, "vigil_writes_total in Prometheus", func(ctx context.Context) (bool, error) {
		s, err := harness.Query(ctx, env.PrometheusURL, `vigil_writes_total{job="vigil-operator-metrics",kind="Secret"}`)
		return len(s) > 0, err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A PodMonitor and a Probe are scraped. The Probe's prober is the example
// app's pod (its /metrics stands for a prober's /probe) and its target a
// static one, so no blackbox exporter is needed.
func TestPodMonitorAndProbeScraped(t *testing.T) {
	ctx := context.Background()
	pods := podIPs(t, "default", "app.kubernetes.io/name=example-app")
	var prober string
	for ip := range pods {
		prober = ip + ":8080"
	}
	err := env.Apply(ctx, `
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: example-app-pods, namespace: default}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: example-app}}
  podMetricsEndpoints:
  - {port: web, interval: 5s}
---
apiVersion: monitoring.coreos.com/v1
kind: Probe
metadata: {name: example-app-probe, namespace: default}
spec:
  interval: 5s
  prober: {url: "`+prober+`", path: /metrics}
  targets:
    staticConfig:
      static: [http://static-target.example]
      labels: {probed: static}
`)
	if err != nil {
		t.Fatal(err)
	}
	pm := waitPoolUp(t, env.PrometheusURL, "podMonitor/default/example-app-pods/0", 2, time.Minute)
	for _, tg := range pm {
		ip, _, _ := strings.Cut(tg.Labels["instance"], ":")
		if tg.Labels["namespace"] != "default" || tg.Labels["pod"] != pods[ip] || tg.Labels["container"] != "app" || tg.Labels["endpoint"] != "web" || tg.Labels["job"] != "default/example-app-pods" {
			t.Errorf("PodMonitor target labels %v", tg.Labels)
		}
	}
	pr := waitPoolUp(t, env.PrometheusURL, "probe/default/example-app-probe", 1, time.Minute)
	if l := pr[0].Labels; l["instance"] != "http://static-target.example" || l["probed"] != "static" || l["job"] != "probe/default/example-app-probe" {
		t.Errorf("Probe target labels %v", l)
	}
}
