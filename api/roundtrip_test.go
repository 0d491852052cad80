package api_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// kubePrometheusDir holds kube-prometheus's manifests, shared by the team
// beside the repository.
var kubePrometheusDir = filepath.Join(testenv.RepoRoot(), "..", "shared", "testdata", "kube-prometheus")

// TestKubePrometheusManifestsKeepEveryField creates every kube-prometheus
// manifest with strict field validation and reads it back: each field the
// manifest sets must come back with the same value.
func TestKubePrometheusManifestsKeepEveryField(t *testing.T) {
	g := NewWithT(t)
	files, err := filepath.Glob(filepath.Join(kubePrometheusDir, "*.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(len(files)).To(BeNumerically(">=", 20), "kube-prometheus manifests missing from %s", kubePrometheusDir)
	// The namespace first: everything else lives in it.
	sort.SliceStable(files, func(i, j int) bool { return strings.HasSuffix(files[i], "namespace.yaml") })

	kinds := map[string]int{}
	for _, f := range files {
		objs, err := testenv.ReadObjects(f)
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
// realistic object of each kind Vigil serves, with the fields users set most.
func TestSamplesKeepEveryField(t *testing.T) {
	g := NewWithT(t)
	files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(), "config", "samples", "*.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	kinds := map[string]bool{}
	for _, f := range files {
		if filepath.Base(f) == "kustomization.yaml" {
			continue
		}
		objs, err := testenv.ReadObjects(f)
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
					diffs = append(diffs, contained("metadata."+field, normalize(v), normalize(got.Object["metadata"].(map[string]any)[field]))...)
				}
			}
			continue
		}
		diffs = append(diffs, contained(key, normalize(value), normalize(got.Object[key]))...)
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

// normalize gives values decoded from YAML and from the API server the same
// Go types (JSON numbers as float64).
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// contained lists where want is not contained in got: a map key missing or a
// value that differs. Keys that only got has (defaults) are fine; lists must
// match element by element.
func contained(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, got %v", path, got)}
		}
		var diffs []string
		for k, v := range w {
			gv, ok := g[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: dropped", path, k))
				continue
			}
			diffs = append(diffs, contained(path+"."+k, v, gv)...)
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: want %d items, got %v", path, len(w), got)}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, contained(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		return diffs
	default:
		if !reflect.DeepEqual(want, got) {
			return []string{fmt.Sprintf("%s: want %v, got %v", path, want, got)}
		}
		return nil
	}
}
