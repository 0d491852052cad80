package api_test

import (
	"encoding/base64"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// TestKubePrometheusManifestsKeepEveryField creates every kube-prometheus
// manifest with strict field validation and reads it back: each field the
// manifest sets must come back with the same value.
func TestKubePrometheusManifestsKeepEveryField(t *testing.T) {
	g := NewWithT(t)
	files, err := filepath.Glob(filepath.Join(testenv.KubePrometheusDir(), "*.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(len(files)).To(BeNumerically(">=", 20), "kube-prometheus manifests missing from %s", testenv.KubePrometheusDir())
	// The namespace first: everything else lives in it.
	sort.SliceStable(files, func(i, j int) bool { return strings.HasSuffix(files[i], "namespace.yaml") })

	kinds := map[string]int{}
	for _, f := range files {
		objs, err := manifest.ReadFile(f)
		g.Expect(err).NotTo(HaveOccurred())
		for _, obj := range objs {
			kinds[obj.GetKind()]++
			t.Run(filepath.Base(f)+"/"+obj.GetKind()+"/"+obj.GetName(), func(t *testing.T) {
				createAndCompare(t, obj)
			})
		}
	}
	// The set the issue names: one Prometheus, one Alertmanager, 13
	// ServiceMonitors, 8 PrometheusRules.
	g.Expect(kinds).To(Equal(map[string]int{
		"Namespace": 1, "Secret": 1, "Prometheus": 1, "Alertmanager": 1,
		"ServiceMonitor": 13, "PrometheusRule": 8,
	}))
}

// TestSamplesKeepEveryField does the same for config/samples, which hold one
// realistic object of each kind Vigil serves with the fields users set most,
// and for the v1alpha1 test manifests.
func TestSamplesKeepEveryField(t *testing.T) {
	g := NewWithT(t)
	files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(), "config", "samples", "*.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	// The v1alpha1 decode tests' manifests exercise every receiver and
	// discovery kind; the API server must keep them too.
	more, err := filepath.Glob(filepath.Join(testenv.RepoRoot(), "api", "v1alpha1", "testdata", "*.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	files = append(files, more...)
	kinds := map[string]bool{}
	for _, f := range files {
		if filepath.Base(f) == "kustomization.yaml" {
			continue
		}
		objs, err := manifest.ReadFile(f)
		g.Expect(err).NotTo(HaveOccurred())
		for _, obj := range objs {
			kinds[obj.GetKind()] = true
			t.Run(filepath.Base(f)+"/"+obj.GetName(), func(t *testing.T) { createAndCompare(t, obj) })
		}
	}
	for _, kind := range servedKinds {
		g.Expect(kinds).To(HaveKey(kind.kind), "config/samples has no %s", kind.kind)
	}
}

func createAndCompare(t *testing.T, obj *unstructured.Unstructured) {
	t.Helper()
	g := NewWithT(t)
	ctx := t.Context()
	want := obj.DeepCopy()
	if obj.GetNamespace() == "" && obj.GetKind() != "Namespace" {
		obj.SetNamespace("default")
	}
	if ns := obj.GetNamespace(); ns != "" {
		err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
		g.Expect(client.IgnoreAlreadyExists(err)).To(Succeed())
	}
	g.Expect(env.Client.Create(ctx, obj, client.FieldValidation("Strict"))).To(Succeed())

	got := &unstructured.Unstructured{}
	got.SetGroupVersionKind(obj.GroupVersionKind())
	g.Expect(env.Client.Get(ctx, client.ObjectKeyFromObject(obj), got)).To(Succeed())

	if want.GetKind() == "Secret" {
		foldStringData(g, want)
	}
	var diffs []string
	for key, value := range want.Object {
		switch key {
		case "apiVersion", "kind", "status":
			continue
		case "metadata":
			for _, field := range []string{"labels", "annotations"} {
				if v, ok := want.Object["metadata"].(map[string]any)[field]; ok {
					diffs = append(diffs, testenv.Contained("metadata."+field, testenv.Normalize(v), testenv.Normalize(got.Object["metadata"].(map[string]any)[field]))...)
				}
			}
			continue
		}
		diffs = append(diffs, testenv.Contained(key, testenv.Normalize(value), testenv.Normalize(got.Object[key]))...)
	}
	g.Expect(diffs).To(BeEmpty(), "fields changed or dropped by the API server")
}

// foldStringData turns a Secret's write-only stringData into the data the
// API server stores it as.
func foldStringData(g Gomega, secret *unstructured.Unstructured) {
	sd, ok := secret.Object["stringData"].(map[string]any)
	if !ok {
		return
	}
	data, _ := secret.Object["data"].(map[string]any)
	if data == nil {
		data = map[string]any{}
	}
	for k, v := range sd {
		s, ok := v.(string)
		g.Expect(ok).To(BeTrue())
		data[k] = base64.StdEncoding.EncodeToString([]byte(s))
	}
	delete(secret.Object, "stringData")
	secret.Object["data"] = data
}
