package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PodURL is http://<pod IP>:<port> of a running pod: pods are reachable
// from this machine through the node's bridge.
func (e *Env) PodURL(ctx context.Context, namespace, pod string, port int) (string, error) {
	p, err := e.Client.CoreV1().Pods(namespace).Get(ctx, pod, metav1.GetOptions{})
	if err != nil {
		return "", err
	}
	if p.Status.PodIP == "" {
		return "", fmt.Errorf("pod %s/%s has no IP yet", namespace, pod)
	}
	return fmt.Sprintf("http://%s:%d", p.Status.PodIP, port), nil
}

// Target is one of Prometheus's active targets.
type Target struct {
	ScrapePool       string            `json:"scrapePool"`
	ScrapeURL        string            `json:"scrapeUrl"`
	Labels           map[string]string `json:"labels"`
	DiscoveredLabels map[string]string `json:"discoveredLabels"`
	Health           string            `json:"health"`
	LastError        string            `json:"lastError"`
}

// Targets reads Prometheus's /api/v1/targets (active targets).
func Targets(ctx context.Context, promURL string) ([]Target, error) {
	var body struct {
		Data struct {
			ActiveTargets []Target `json:"activeTargets"`
		} `json:"data"`
	}
	if err := getJSON(ctx, promURL+"/api/v1/targets?state=active", &body); err != nil {
		return nil, err
	}
	return body.Data.ActiveTargets, nil
}

// Query runs an instant PromQL query and returns the result's samples'
// labels and values.
func Query(ctx context.Context, promURL, q string) ([]Sample, error) {
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := getJSON(ctx, promURL+"/api/v1/query?query="+url.QueryEscape(q), &body); err != nil {
		return nil, err
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("query %q: %s", q, body.Error)
	}
	out := make([]Sample, 0, len(body.Data.Result))
	for _, r := range body.Data.Result {
		v, _ := r.Value[1].(string)
		out = append(out, Sample{Labels: r.Metric, Value: v})
	}
	return out, nil
}

// Sample is one series of a query's result.
type Sample struct {
	Labels map[string]string
	Value  string
}

var httpClient = &http.Client{Timeout: 10 * time.Second}

func getJSON(ctx context.Context, u string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	return json.Unmarshal(b, into)
}

// WaitTarget waits until Prometheus has an active target that match
// accepts and that is up, and returns it.
func (e *Env) WaitTarget(ctx context.Context, promURL string, timeout time.Duration, what string, match func(Target) bool) (Target, error) {
	var found Target
	var seen []Target
	err := e.poll(ctx, timeout, what, func(ctx context.Context) (bool, error) {
		ts, err := Targets(ctx, promURL)
		if err != nil {
			return false, err
		}
		seen = ts
		for _, t := range ts {
			if match(t) && t.Health == "up" {
				found = t
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		for _, t := range seen {
			err = fmt.Errorf("%w\n  target %s %s %s %s", err, t.ScrapePool, t.ScrapeURL, t.Health, t.LastError)
		}
	}
	return found, err
}

// LoadedConfig is the configuration Prometheus has loaded
// (/api/v1/status/config).
func LoadedConfig(ctx context.Context, promURL string) (string, error) {
	var body struct {
		Data struct {
			YAML string `json:"yaml"`
		} `json:"data"`
	}
	err := getJSON(ctx, promURL+"/api/v1/status/config", &body)
	return body.Data.YAML, err
}
