package workload

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/testenv"
	"github.com/vigil-monitoring/vigil/internal/workload/poref"
)

// kubePrometheus reads kube-prometheus's Prometheus k8s and Alertmanager
// main as vigilctl reads manifests.
func kubePrometheus(t *testing.T) (*monitoringv1.Prometheus, *monitoringv1.Alertmanager) {
	t.Helper()
	g := NewWithT(t)
	inv, err := inventory.Load([]string{testenv.KubePrometheusDir()}, "default")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(inv.Problems).To(BeEmpty())
	g.Expect(inv.Prometheuses).To(HaveLen(1))
	g.Expect(inv.Alertmanagers).To(HaveLen(1))
	return inv.Prometheuses[0], inv.Alertmanagers[0]
}

// poReference reads one of Prometheus Operator's objects for
// kube-prometheus, as kubectl get -o json printed them.
func poReference(t *testing.T, file string) map[string]any {
	t.Helper()
	g := NewWithT(t)
	data, err := os.ReadFile(filepath.Join(testenv.KubePrometheusDir(), "po-reference", file))
	g.Expect(err).NotTo(HaveOccurred())
	var out map[string]any
	g.Expect(yaml.Unmarshal(data, &out)).To(Succeed())
	return out
}

type clientObject = client.Object

// ensureNamespace creates namespace name unless it exists.
func ensureNamespace(t *testing.T, name string) {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if err := env.Client.Create(t.Context(), ns); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

// createStrict creates obj on the API server, refusing unknown and
// duplicate fields, and fills obj with what the server stored.
func createStrict(ctx context.Context, obj client.Object) error {
	return env.Client.Create(ctx, obj, client.FieldValidation("Strict"))
}

// readBack is obj as the API server stores it, defaults applied, without
// what only one cluster has (as the reference files were cut).
func readBack(t *testing.T, obj client.Object) map[string]any {
	t.Helper()
	out, err := poref.ReadBack(t.Context(), env.Client, obj)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// prom is a Prometheus object main in namespace mon, changed by set.
func prom(set ...func(*monitoringv1.Prometheus)) *monitoringv1.Prometheus {
	p := &monitoringv1.Prometheus{ObjectMeta: metav1.ObjectMeta{Name: "main", Namespace: "mon", UID: "0c0ffee0-0000-4000-8000-000000000001"}}
	for _, s := range set {
		if s != nil {
			s(p)
		}
	}
	return p
}

// am is an Alertmanager object main in namespace mon, changed by set.
func am(set ...func(*monitoringv1.Alertmanager)) *monitoringv1.Alertmanager {
	a := &monitoringv1.Alertmanager{ObjectMeta: metav1.ObjectMeta{Name: "main", Namespace: "mon", UID: "0c0ffee0-0000-4000-8000-000000000002"}}
	for _, s := range set {
		if s != nil {
			s(a)
		}
	}
	return a
}

func buildProm(t *testing.T, p *monitoringv1.Prometheus, opts Options) *PrometheusWorkload {
	t.Helper()
	w, err := Prometheus(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func buildAM(t *testing.T, a *monitoringv1.Alertmanager, opts Options) *AlertmanagerWorkload {
	t.Helper()
	w, err := Alertmanager(a, opts)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// container is the container (or init container) name of pod; it fails
// the test when there is none.
func container(t *testing.T, pod *corev1.PodSpec, name string) *corev1.Container {
	t.Helper()
	for _, cs := range [][]corev1.Container{pod.Containers, pod.InitContainers} {
		for i := range cs {
			if cs[i].Name == name {
				return &cs[i]
			}
		}
	}
	t.Fatalf("no container %s", name)
	return nil
}

func containerNames(cs []corev1.Container) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

// volume is pod's volume name, nil when there is none.
func volume(pod *corev1.PodSpec, name string) *corev1.Volume {
	for i := range pod.Volumes {
		if pod.Volumes[i].Name == name {
			return &pod.Volumes[i]
		}
	}
	return nil
}

func volumeNames(pod *corev1.PodSpec) []string {
	var out []string
	for _, v := range pod.Volumes {
		out = append(out, v.Name)
	}
	return out
}

// mount is c's volume mount at path, nil when there is none.
func mount(c *corev1.Container, path string) *corev1.VolumeMount {
	for i := range c.VolumeMounts {
		if c.VolumeMounts[i].MountPath == path {
			return &c.VolumeMounts[i]
		}
	}
	return nil
}

func envVar(c *corev1.Container, name string) *corev1.EnvVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}
