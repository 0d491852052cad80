//go:build e2e

package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// A pod whose image the node cannot map fails with ErrImagePull and a
// message naming the image, at once, instead of hanging.
func TestUnmappedImageFailsClearly(t *testing.T) {
	ctx := context.Background()
	err := env.Apply(ctx, `
apiVersion: v1
kind: Pod
metadata: {name: unmapped-image, namespace: default}
spec:
  containers:
  - {name: grafana, image: "grafana/grafana:12.0.0"}
`)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Client.CoreV1().Pods("default").Delete(ctx, "unmapped-image", metav1.DeleteOptions{}) })
	var w *corev1.ContainerStateWaiting
	err = env.Poll(ctx, 30*time.Second, "unmapped-image waiting with ErrImagePull", func(ctx context.Context) (bool, error) {
		p, err := env.Client.CoreV1().Pods("default").Get(ctx, "unmapped-image", metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		for _, cs := range p.Status.ContainerStatuses {
			w = cs.State.Waiting
		}
		return w != nil && w.Reason == "ErrImagePull", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.Message, "grafana/grafana:12.0.0") || !strings.Contains(w.Message, "not mapped") {
		t.Errorf("ErrImagePull message %q does not say which image and why", w.Message)
	}
}

// kubectl logs and kubectl exec reach a container through the node's
// kubelet API; exec runs inside the container's namespaces.
func TestKubectlLogsAndExec(t *testing.T) {
	ctx := context.Background()
	logs, err := env.Kubectl(ctx, nil, "logs", "-n", "monitoring", "prometheus-dev-0", "-c", "prometheus", "--tail=200")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logs), "Completed loading of configuration file") {
		t.Errorf("kubectl logs: no configuration load in\n%s", logs)
	}
	out, err := env.Kubectl(ctx, nil, "exec", "-n", "monitoring", "prometheus-dev-0", "-c", "prometheus", "--", "hostname")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(out)) != "prometheus-dev-0" {
		t.Errorf("hostname in the container: %q", out)
	}
	out, err = env.Kubectl(ctx, nil, "exec", "-n", "monitoring", "prometheus-dev-0", "-c", "prometheus", "--", "ls", "/etc/prometheus/config_out")
	if err != nil || !strings.Contains(string(out), "prometheus.env.yaml") {
		t.Errorf("the container's /etc/prometheus/config_out: %q, %v", out, err)
	}
	if _, err := env.Kubectl(ctx, nil, "exec", "-n", "monitoring", "prometheus-dev-0", "-c", "prometheus", "--", "false"); err == nil {
		t.Error("kubectl exec of a failing command succeeded")
	}
}

// A ConfigMap volume shows the ConfigMap's new data after an update, as a
// kubelet's sync does.
func TestConfigMapVolumeUpdated(t *testing.T) {
	ctx := context.Background()
	apply := func(greeting string) {
		t.Helper()
		if err := env.Apply(ctx, `
apiVersion: v1
kind: ConfigMap
metadata: {name: greeting, namespace: default}
data: {greeting: `+greeting+`}
`); err != nil {
			t.Fatal(err)
		}
	}
	apply("hello")
	err := env.Apply(ctx, `
apiVersion: v1
kind: Pod
metadata: {name: configmap-reader, namespace: default}
spec:
  containers:
  - name: app
    image: vigil/example-app:dev
    args: [--listen=:8080]
    volumeMounts:
    - {name: greeting, mountPath: /etc/greeting, readOnly: true}
    readinessProbe:
      httpGet: {path: /readyz, port: 8080}
      periodSeconds: 1
  volumes:
  - name: greeting
    configMap: {name: greeting}
`)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = env.Client.CoreV1().Pods("default").Delete(ctx, "configmap-reader", metav1.DeleteOptions{})
	})
	if _, err := env.WaitPod(ctx, "default", "configmap-reader", time.Minute); err != nil {
		t.Fatal(err)
	}
	read := func() string {
		out, _ := env.Kubectl(ctx, nil, "exec", "-n", "default", "configmap-reader", "--", "cat", "/etc/greeting/greeting")
		return string(out)
	}
	if got := read(); got != "hello" {
		t.Fatalf("the volume's file: %q, want hello", got)
	}
	apply("goodbye")
	start := time.Now()
	if err := env.Poll(ctx, 30*time.Second, "the ConfigMap's update in the volume", func(context.Context) (bool, error) {
		return read() == "goodbye", nil
	}); err != nil {
		t.Fatal(err)
	}
	record("ConfigMap updated -> volume file updated", time.Since(start))
}
