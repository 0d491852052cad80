//go:build e2e

package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
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
  # Each shard's data on a PersistentVolumeClaim, which the node provisions.
  storage:
    volumeClaimTemplate:
      spec:
        resources:
          requests: {storage: 1Gi}
`)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = env.Kubectl(ctx, nil, "delete", "prometheus", "-n", "monitoring", "sharded", "--wait=false")
	})
	urls := readyPodURLs(t, "monitoring", 9090, "prometheus-sharded-0", "prometheus-sharded-shard-1-0")
	// Together the shards scrape what the unsharded Prometheus dev, with
	// the same selectors, scrapes; each target on one shard only.
	var counts, want, shardOf map[string]int
	err = env.Poll(ctx, 2*time.Minute, "each of dev's targets on exactly one shard", func(ctx context.Context) (bool, error) {
		if want, err = targetSet(ctx, env.PrometheusURL); err != nil {
			return false, err
		}
		counts, shardOf = map[string]int{}, map[string]int{}
		for i, u := range urls {
			got, err := targetSet(ctx, u)
			if err != nil {
				return false, err
			}
			for k := range got {
				counts[k]++
				shardOf[k] = i
			}
		}
		if len(counts) != len(want) {
			return false, nil
		}
		for k, n := range counts {
			if want[k] == 0 {
				return false, nil
			}
			if n != 1 {
				return false, fmt.Errorf("%s is active on %d shards", k, n)
			}
		}
		return true, nil
	})
	if err != nil {
		t.Fatalf("%v (shards' targets: %v, dev's: %v)", err, counts, want)
	}
	t.Logf("shard of each target: %v", shardOf)
}

// targetSet is a Prometheus's ServiceMonitor and PodMonitor targets, by
// scrape pool and instance.
func targetSet(ctx context.Context, promURL string) (map[string]int, error) {
	ts, err := harness.Targets(ctx, promURL)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, tg := range ts {
		if strings.HasPrefix(tg.ScrapePool, "serviceMonitor/") || strings.HasPrefix(tg.ScrapePool, "podMonitor/") {
			out[tg.ScrapePool+" "+tg.Labels["instance"]]++
		}
	}
	return out, nil
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
	t.Cleanup(func() {
		_, _ = env.Kubectl(ctx, nil, "delete", "alertmanager", "-n", "monitoring", "ha", "--wait=false")
	})
	urls := readyPodURLs(t, "monitoring", 9093, "alertmanager-ha-0", "alertmanager-ha-1")
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

// readyPodURLs waits until each pod is Ready and returns its
// http://<IP>:<port>.
func readyPodURLs(t *testing.T, namespace string, port int, pods ...string) []string {
	t.Helper()
	ctx := context.Background()
	var urls []string
	for _, pod := range pods {
		if _, err := env.WaitPod(ctx, namespace, pod, 3*time.Minute); err != nil {
			t.Fatal(err)
		}
		u, err := env.PodURL(ctx, namespace, pod, port)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	return urls
}
