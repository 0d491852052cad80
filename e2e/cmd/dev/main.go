// Command dev is `make dev`: a local Kubernetes cluster on this machine
// (etcd, kube-apiserver, kube-controller-manager, kube-scheduler and a
// process-backed node) with Vigil's operator running in it as a pod, the
// example app with its ServiceMonitor and PrometheusRule, and a Prometheus
// and an Alertmanager (config/samples/dev). It waits until Prometheus
// scrapes the example app, prints where to look, and stops everything on
// Ctrl-C.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vigil-monitoring/vigil/e2e/cluster"
	"github.com/vigil-monitoring/vigil/e2e/harness"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "make dev:", err)
		os.Exit(1)
	}
}

func run() error {
	cache, _ := os.UserCacheDir()
	dir := flag.String("dir", filepath.Join(cache, "vigil", "dev"), "the cluster's state, logs and Vigil's binaries")
	tools := flag.String("tools", cluster.DefaultBinDir(), "the tool cache (make's VIGIL_BIN)")
	repo := flag.String("repo", ".", "the Vigil checkout")
	flag.Parse()
	if os.Geteuid() != 0 {
		return fmt.Errorf("the local cluster needs root (network namespaces, mounts)")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e, err := harness.Up(ctx, harness.Options{Repo: *repo, Dir: *dir, ToolDir: *tools, Progress: os.Stdout})
	if err != nil {
		return err
	}
	defer e.Down()
	if err := e.DeployDev(ctx); err != nil {
		return err
	}
	promURL, amURL := e.PrometheusURL, e.AlertmanagerURL
	fmt.Printf(`
Vigil is running on a local cluster.

  export KUBECONFIG=%s
  alias kubectl=%s
  kubectl get prometheus,alertmanager,servicemonitors -A

  Prometheus    %s   (API: %s/api/v1/targets)
  Alertmanager  %s   (API: %s/api/v2/alerts)
  Logs          %s

Steps:
`, e.Cluster.Kubeconfig, filepath.Join(*tools, "kubectl-"+cluster.KubernetesVersion), promURL, promURL, amURL, amURL, filepath.Join(*dir, "cluster", "logs"))
	for _, t := range e.Timings {
		fmt.Printf("  %-28s %s\n", t.Step, t.Took.Round(10*time.Millisecond))
	}
	fmt.Println("\nCtrl-C stops it all.")
	<-ctx.Done()
	fmt.Println("\nStopping the cluster")
	return nil
}
