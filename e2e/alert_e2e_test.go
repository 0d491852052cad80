//go:build e2e

package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/vigil-monitoring/vigil/e2e/cluster"
)

// webhook is an Alertmanager webhook receiver on the node's address, which
// pods reach through the bridge.
type webhook struct {
	URL string
	mu  sync.Mutex
	got []notification
	srv *http.Server
}

type notification struct {
	Receiver string  `json:"receiver"`
	Status   string  `json:"status"`
	Alerts   []alert `json:"alerts"`
	At       time.Time
}

type alert struct {
	Status string            `json:"status"`
	Labels map[string]string `json:"labels"`
}

func startWebhook(t *testing.T) *webhook {
	t.Helper()
	l, err := net.Listen("tcp", cluster.HostIP+":0")
	if err != nil {
		t.Fatal(err)
	}
	w := &webhook{URL: "http://" + l.Addr().String() + "/"}
	w.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var n notification
		if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		n.At = time.Now()
		w.mu.Lock()
		w.got = append(w.got, n)
		w.mu.Unlock()
	})}
	go func() { _ = w.srv.Serve(l) }()
	t.Cleanup(func() { _ = w.srv.Close() })
	return w
}

// alerts are the alerts received so far with this alertname and status.
func (w *webhook) alerts(name, status string) []alert {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []alert
	for _, n := range w.got {
		for _, a := range n.Alerts {
			if a.Labels["alertname"] == name && a.Status == status {
				out = append(out, a)
			}
		}
	}
	return out
}

func (w *webhook) wait(t *testing.T, name, status string, timeout time.Duration) alert {
	t.Helper()
	var found alert
	err := env.Poll(context.Background(), timeout, fmt.Sprintf("%s %s at the webhook", name, status), func(context.Context) (bool, error) {
		as := w.alerts(name, status)
		if len(as) > 0 {
			found = as[len(as)-1]
		}
		return len(as) > 0, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func setFailing(t *testing.T, podURL string, on bool) {
	t.Helper()
	resp, err := http.Post(fmt.Sprintf("%s/fail?on=%v", podURL, on), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("POST /fail: %s", resp.Status)
	}
}

// A PrometheusRule fires on the example app's metrics; the alert reaches
// Alertmanager and is delivered through an AlertmanagerConfig of the app's
// namespace to a webhook; it resolves when the condition ends.
func TestAlertDeliveredAndResolved(t *testing.T) {
	ctx := context.Background()
	hook := startWebhook(t)
	err := env.Apply(ctx, `
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: e2e-webhook, namespace: default}
spec:
  route:
    receiver: e2e-webhook
    groupBy: [alertname, pod]
    groupWait: 1s
    groupInterval: 2s
    repeatInterval: 1h
    matchers:
    - {name: alertname, value: ExampleAppFailing, matchType: "="}
  receivers:
  - name: e2e-webhook
    webhookConfigs:
    - url: `+hook.URL+`
      sendResolved: true
`)
	if err != nil {
		t.Fatal(err)
	}
	pods := podIPs(t, "default", "app.kubernetes.io/name=example-app")
	var ip, pod string
	for ip, pod = range pods {
		break
	}
	podURL := "http://" + ip + ":8080"
	start := time.Now()
	setFailing(t, podURL, true)
	a := hook.wait(t, "ExampleAppFailing", "firing", 2*time.Minute)
	record("rule fired -> alert delivered to the webhook", time.Since(start))
	for k, v := range map[string]string{"namespace": "default", "pod": pod, "severity": "warning", "cluster": "dev"} {
		if a.Labels[k] != v {
			t.Errorf("alert label %s=%q, want %q (labels %v)", k, a.Labels[k], v, a.Labels)
		}
	}
	start = time.Now()
	setFailing(t, podURL, false)
	hook.wait(t, "ExampleAppFailing", "resolved", 2*time.Minute)
	record("condition ended -> resolved at the webhook", time.Since(start))
}
