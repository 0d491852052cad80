//go:build e2e

package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/vigil-monitoring/vigil/e2e/harness"
)

// A Prometheus with two shards: every target is scraped by exactly one.
func TestShardsSplitTargets(t *testing.T) {
	ctx := context.Background()
	err := env.Apply(ctx, `
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: sharded, namespace: monitoring}
spec:
  version: v3.16.0
  shards: 2
  replicas: 1
  serviceAccountName: prometheus
  serviceMonitorSelector: {}
  serviceMonitorNamespaceSelector: {}
  podMonitorSelector: {}
  podMonitorNamespaceSelector: {}
  scrapeInterval: 5s
`)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = env.Kubectl(ctx, nil, "delete", "prometheus", "-n", "monitoring", "sharded", "--wait=false") })
	var urls []string
	for _, pod := range []string{"prometheus-sharded-0", "prometheus-sharded-shard-1-0"} {
		if _, err := env.WaitPod(ctx, "monitoring", pod, 3*time.Minute); err != nil {
			t.Fatal(err)
		}
		u, err := env.PodURL(ctx, "monitoring", pod, 9090)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	// The shards' target sets, once each has discovered everything: the
	// example app's pods through the ServiceMonitor and the PodMonitor,
	// and the operator.
	want := 5
	var counts map[string]int
	err = env.Poll(ctx, 2*time.Minute, "each target on exactly one shard", func(ctx context.Context) (bool, error) {
		counts = map[string]int{}
		for _, u := range urls {
			ts, err := harness.Targets(ctx, u)
			if err != nil {
				return false, err
			}
			for _, tg := range ts {
				counts[tg.ScrapePool+" "+tg.Labels["instance"]]++
			}
		}
		if len(counts) < want {
			return false, nil
		}
		for k, n := range counts {
			if n != 1 {
				return false, fmt.Errorf("%s is active on %d shards", k, n)
			}
		}
		return true, nil
	})
	if err != nil {
		t.Fatalf("%v (targets: %v)", err, counts)
	}
	t.Logf("targets by shard: %v", counts)
}

// An Alertmanager of two replicas forms a cluster, and an alert sent to
// both, as Prometheus sends it, is delivered once.
func TestAlertmanagerClusterDeliversOnce(t *testing.T) {
	ctx := context.Background()
	hook := startWebhook(t)
	err := env.Apply(ctx, `
apiVersion: v1
kind: Secret
metadata: {name: alertmanager-ha-config, namespace: monitoring}
stringData:
  alertmanager.yaml: |
    route:
      receiver: hook
      group_by: [alertname]
      group_wait: 1s
      group_interval: 5m
      repeat_interval: 1h
    receivers:
    - name: hook
      webhook_configs:
      - url: `+hook.URL+`
---
apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: {name: ha, namespace: monitoring}
spec:
  version: v0.35.0
  replicas: 2
  serviceAccountName: alertmanager
  configSecret: alertmanager-ha-config
`)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = env.Kubectl(ctx, nil, "delete", "alertmanager", "-n", "monitoring", "ha", "--wait=false") })
	var urls []string
	for _, pod := range []string{"alertmanager-ha-0", "alertmanager-ha-1"} {
		if _, err := env.WaitPod(ctx, "monitoring", pod, 3*time.Minute); err != nil {
			t.Fatal(err)
		}
		u, err := env.PodURL(ctx, "monitoring", pod, 9093)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	if err := env.Poll(ctx, 2*time.Minute, "both Alertmanagers see two cluster peers", func(ctx context.Context) (bool, error) {
		for _, u := range urls {
			if n, err := clusterPeers(ctx, u); err != nil || n != 2 {
				return false, err
			}
		}
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("E2EClusterOnce%d", time.Now().Unix())
	body, _ := json.Marshal([]map[string]any{{"labels": map[string]string{"alertname": name, "severity": "none"}}})
	for _, u := range urls {
		resp, err := http.Post(u+"/api/v2/alerts", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s/api/v2/alerts: %s", u, resp.Status)
		}
	}
	start := time.Now()
	hook.wait(t, name, "firing", time.Minute)
	record("alert sent to 2 clustered Alertmanagers -> delivered", time.Since(start))
	// The second replica waits for its peer's notification log before it
	// would notify (15 s for the second peer): wait well past that.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if n := len(hook.alerts(name, "firing")); n != 1 {
			t.Fatalf("the alert was delivered %d times", n)
		}
		time.Sleep(time.Second) //nolint:forbidigo // watching for a duplicate that must not come
	}
}

func clusterPeers(ctx context.Context, amURL string) (int, error) {
	var st struct {
		Cluster struct {
			Peers []any `json:"peers"`
		} `json:"cluster"`
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, amURL+"/api/v2/status", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return 0, err
	}
	return len(st.Cluster.Peers), nil
}
