package harness

import (
	"context"
	"fmt"
	"time"
)

// DeployDev applies the example app (config/samples/example-app) and
// config/samples/dev's Prometheus and Alertmanager, waits until Prometheus
// scrapes the app, and sets PrometheusURL and AlertmanagerURL.
func (e *Env) DeployDev(ctx context.Context) error {
	start := time.Now()
	for _, dir := range []string{"config/samples/example-app", "config/samples/dev"} {
		fmt.Fprintf(e.Progress, "Applying %s\n", dir)
		if err := e.Apply(ctx, dir); err != nil {
			return err
		}
	}
	for _, p := range []string{"prometheus-dev-0", "alertmanager-dev-0"} {
		if _, err := e.WaitPod(ctx, "monitoring", p, 3*time.Minute); err != nil {
			return err
		}
		fmt.Fprintf(e.Progress, "%s Ready\n", p)
	}
	if err := e.WaitDeployment(ctx, "default", "example-app", 2*time.Minute); err != nil {
		return err
	}
	var err error
	if e.PrometheusURL, err = e.PodURL(ctx, "monitoring", "prometheus-dev-0", 9090); err != nil {
		return err
	}
	if e.AlertmanagerURL, err = e.PodURL(ctx, "monitoring", "alertmanager-dev-0", 9093); err != nil {
		return err
	}
	fmt.Fprintln(e.Progress, "Waiting for Prometheus to scrape the example app")
	if _, err := e.WaitTarget(ctx, e.PrometheusURL, 2*time.Minute, "the example app's target up", func(t Target) bool {
		return t.Labels["job"] == "example-app"
	}); err != nil {
		return err
	}
	e.mark("example app scraped", start)
	return nil
}
