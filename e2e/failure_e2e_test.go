//go:build e2e

package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/vigil-monitoring/vigil/e2e/cluster"
	"github.com/vigil-monitoring/vigil/e2e/harness"
)

// The operator killed while it reconciles a change, and started again by
// its Deployment, converges: the change is in the Secret, and no object is
// duplicated or lost.
func TestOperatorKilledMidReconcile(t *testing.T) {
	ctx := context.Background()
	before := monitoringObjects(t)
	mark := fmt.Sprintf("restart-%d", time.Now().UnixNano())
	if err := env.Apply(ctx, fmt.Sprintf(exampleMonitor, mark)); err != nil {
		t.Fatal(err)
	}
	pods, err := env.Client.CoreV1().Pods("vigil-system").List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=vigil-operator"})
	if err != nil || len(pods.Items) != 1 {
		t.Fatalf("operator pods: %v %v", pods, err)
	}
	old := pods.Items[0].Name
	if err := env.Client.CoreV1().Pods("vigil-system").Delete(ctx, old, metav1.DeleteOptions{GracePeriodSeconds: new(int64)}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := env.Poll(ctx, 2*time.Minute, "a new operator pod Ready", func(ctx context.Context) (bool, error) {
		pods, err := env.Client.CoreV1().Pods("vigil-system").List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=vigil-operator"})
		if err != nil {
			return false, err
		}
		for _, p := range pods.Items {
			if p.Name != old && harness.PodReady(&p) {
				return true, nil
			}
		}
		return false, nil
	}); err != nil {
		t.Fatal(err)
	}
	record("operator pod deleted -> new operator Ready", time.Since(start))
	_, err = env.WaitTarget(ctx, env.PrometheusURL, time.Minute, "the change made before the kill in Prometheus", func(tg harness.Target) bool {
		return tg.ScrapePool == "serviceMonitor/default/example-app/0" && tg.Labels["e2e_change"] == mark
	})
	if err != nil {
		t.Fatal(err)
	}
	if after := monitoringObjects(t); after != before {
		t.Errorf("objects in monitoring changed across the restart:\nbefore %s\nafter  %s", before, after)
	}
}

// monitoringObjects lists the StatefulSets, Services, Secrets and
// ConfigMaps of namespace monitoring, by name.
func monitoringObjects(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	c := env.Client
	var names []string
	sts, err := c.AppsV1().StatefulSets("monitoring").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range sts.Items {
		names = append(names, "sts/"+o.Name)
	}
	svcs, _ := c.CoreV1().Services("monitoring").List(ctx, metav1.ListOptions{})
	for _, o := range svcs.Items {
		names = append(names, "svc/"+o.Name)
	}
	secs, _ := c.CoreV1().Secrets("monitoring").List(ctx, metav1.ListOptions{})
	for _, o := range secs.Items {
		names = append(names, "secret/"+o.Name)
	}
	cms, _ := c.CoreV1().ConfigMaps("monitoring").List(ctx, metav1.ListOptions{})
	for _, o := range cms.Items {
		names = append(names, "cm/"+o.Name)
	}
	return strings.Join(names, " ")
}

// The Prometheus process killed is restarted by the node, and scraping
// resumes.
func TestPrometheusProcessKilled(t *testing.T) {
	ctx := context.Background()
	pod, err := env.Client.CoreV1().Pods("monitoring").Get(ctx, "prometheus-dev-0", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	restarts := restartCount(pod, "prometheus")
	pid := findProcess(t, "prometheus-v3.16.0", "--config.file")
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := env.Poll(ctx, 2*time.Minute, "prometheus restarted and Ready", func(ctx context.Context) (bool, error) {
		p, err := env.Client.CoreV1().Pods("monitoring").Get(ctx, "prometheus-dev-0", metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		return restartCount(p, "prometheus") > restarts && harness.PodReady(p), nil
	}); err != nil {
		t.Fatal(err)
	}
	waitPoolUp(t, env.PrometheusURL, "serviceMonitor/default/example-app/0", 2, 2*time.Minute)
	record("Prometheus killed -> restarted and scraping", time.Since(start))
}

func restartCount(p *corev1.Pod, container string) int32 {
	for _, cs := range p.Status.ContainerStatuses {
		if cs.Name == container {
			return cs.RestartCount
		}
	}
	return -1
}

// findProcess finds the one process whose executable is named exe and
// whose command line has arg.
func findProcess(t *testing.T, exe, arg string) int {
	t.Helper()
	entries, _ := os.ReadDir("/proc")
	var found []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		path, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || filepath.Base(path) != exe {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if strings.Contains(string(cmdline), arg) {
			found = append(found, pid)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one %s process with %s, found %v", exe, arg, found)
	}
	return found[0]
}

// The generated Secret deleted is written again.
func TestGeneratedSecretRestored(t *testing.T) {
	ctx := context.Background()
	if err := env.Client.CoreV1().Secrets("monitoring").Delete(ctx, "prometheus-dev", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := env.Poll(ctx, time.Minute, "Secret prometheus-dev restored", func(ctx context.Context) (bool, error) {
		s, err := env.Client.CoreV1().Secrets("monitoring").Get(ctx, "prometheus-dev", metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		return err == nil && len(s.Data["prometheus.yaml.gz"]) > 0, err
	}); err != nil {
		t.Fatal(err)
	}
	record("generated Secret deleted -> restored", time.Since(start))
}

// The node SIGKILLed and started again, as after a crash, sweeps what its
// last run left (processes, network namespaces) and runs every pod again:
// Prometheus scrapes again.
func TestNodeCrashRecovers(t *testing.T) {
	ctx := context.Background()
	oldPrometheus := findProcess(t, "prometheus-v3.16.0", "--config.file")
	start := time.Now()
	if err := env.Cluster.Restart(ctx, cluster.VigilNode); err != nil {
		t.Fatal(err)
	}
	if err := env.Poll(ctx, time.Minute, "the old Prometheus process gone", func(context.Context) (bool, error) {
		return syscall.Kill(oldPrometheus, 0) == syscall.ESRCH, nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ ns, name string }{{"monitoring", "prometheus-dev-0"}, {"monitoring", "alertmanager-dev-0"}} {
		if err := env.Poll(ctx, 2*time.Minute, p.name+" started again and Ready", func(ctx context.Context) (bool, error) {
			pod, err := env.Client.CoreV1().Pods(p.ns).Get(ctx, p.name, metav1.GetOptions{})
			if err != nil {
				return false, err
			}
			for _, cs := range pod.Status.ContainerStatuses {
				if cs.State.Running == nil || cs.State.Running.StartedAt.Time.Before(start.Truncate(time.Second)) {
					return false, nil
				}
			}
			return harness.PodReady(pod), nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if env.PrometheusURL, err = env.PodURL(ctx, "monitoring", "prometheus-dev-0", 9090); err != nil {
		t.Fatal(err)
	}
	if env.AlertmanagerURL, err = env.PodURL(ctx, "monitoring", "alertmanager-dev-0", 9093); err != nil {
		t.Fatal(err)
	}
	waitPoolUp(t, env.PrometheusURL, "serviceMonitor/default/example-app/0", 2, 2*time.Minute)
	record("node SIGKILLed and restarted -> pods running again, targets up", time.Since(start))
	pods, err := env.Client.CoreV1().Pods("").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	running := 0
	for _, p := range pods.Items {
		if !p.Spec.HostNetwork && p.Status.Phase == corev1.PodRunning {
			running++
		}
	}
	entries, _ := os.ReadDir("/run/netns")
	netns := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "vigil-") { // vigil-node's prefix
			netns++
		}
	}
	if netns != running {
		t.Errorf("%d network namespaces for %d running pods: the old ones were not swept", netns, running)
	}
}
