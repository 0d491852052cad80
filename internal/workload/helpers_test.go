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
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/testenv"
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
	u := &unstructured.Unstructured{}
	gvk, err := env.Client.GroupVersionKindFor(obj)
	if err != nil {
		t.Fatal(err)
	}
	u.SetGroupVersionKind(gvk)
	if err := env.Client.Get(t.Context(), client.ObjectKeyFromObject(obj), u); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"managedFields", "resourceVersion", "uid", "creationTimestamp", "generation"} {
		unstructured.RemoveNestedField(u.Object, "metadata", f)
	}
	unstructured.RemoveNestedField(u.Object, "status")
	return u.Object
}
