package workload

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	casesDir  = "testdata/cases"
	goldenDir = "testdata/golden"
)

// goldenCase is a set of Prometheus and Alertmanager objects, read as
// vigilctl reads manifests.
type goldenCase struct {
	name  string
	proms []*monitoringv1.Prometheus
	ams   []*monitoringv1.Alertmanager
}

// goldenCases are kube-prometheus and every file of testdata/cases.
func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	g := NewWithT(t)
	load := func(name, path string) goldenCase {
		inv, err := inventory.Load([]string{path}, "default")
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(inv.Problems).To(BeEmpty(), path)
		return goldenCase{name: name, proms: inv.Prometheuses, ams: inv.Alertmanagers}
	}
	cases := []goldenCase{load("kube-prometheus", testenv.KubePrometheusDir())}
	files, err := filepath.Glob(filepath.Join(casesDir, "*.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	for _, f := range files {
		cases = append(cases, load(strings.TrimSuffix(filepath.Base(f), ".yaml"), f))
	}
	return cases
}

// build is every object of the case, in a fixed order: each Prometheus's
// StatefulSets, web configuration, Role and RoleBinding, then
// prometheus-operated, then the same for Alertmanager.
func (c goldenCase) build(t *testing.T) []client.Object {
	t.Helper()
	var out []client.Object
	for _, p := range c.proms {
		w := buildProm(t, p, Options{})
		for _, s := range w.StatefulSets {
			out = append(out, s)
		}
		out = append(out, w.WebConfig, w.Role, w.RoleBinding)
	}
	if len(c.proms) > 0 {
		out = append(out, PrometheusService(c.proms, Options{}))
	}
	for _, a := range c.ams {
		w := buildAM(t, a, Options{})
		out = append(out, w.StatefulSet, w.WebConfig, w.Role, w.RoleBinding)
	}
	if len(c.ams) > 0 {
		out = append(out, AlertmanagerService(c.ams, Options{}))
	}
	return out
}

// asWritten is obj as a client sends it: without the status and the empty
// creation timestamp Go's types always encode.
func asWritten(obj client.Object) map[string]any {
	m := testenv.Normalize(obj).(map[string]any)
	delete(m, "status")
	unstructured.RemoveNestedField(m, "metadata", "creationTimestamp")
	unstructured.RemoveNestedField(m, "spec", "template", "metadata", "creationTimestamp")
	if claims, ok, _ := unstructured.NestedSlice(m, "spec", "volumeClaimTemplates"); ok {
		for _, c := range claims {
			delete(c.(map[string]any), "status")
			unstructured.RemoveNestedField(c.(map[string]any), "metadata", "creationTimestamp")
		}
		_ = unstructured.SetNestedSlice(m, claims, "spec", "volumeClaimTemplates")
	}
	return m
}

// TestGolden compares what the builders make of each case with
// testdata/golden/<case>.yaml; `go test -update` rewrites the files.
// TestBuiltObjectsAreValid has the API server check the same objects.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			var buf bytes.Buffer
			for i, o := range c.build(t) {
				if i > 0 {
					buf.WriteString("---\n")
				}
				b, err := yaml.Marshal(asWritten(o))
				g.Expect(err).NotTo(HaveOccurred())
				buf.Write(b)
			}
			file := filepath.Join(goldenDir, c.name+".yaml")
			if *update {
				g.Expect(os.MkdirAll(goldenDir, 0o755)).To(Succeed())
				g.Expect(os.WriteFile(file, buf.Bytes(), 0o644)).To(Succeed())
			}
			want, err := os.ReadFile(file)
			g.Expect(err).NotTo(HaveOccurred(), "run go test -update to write %s", file)
			g.Expect(buf.String()).To(Equal(string(want)), "%s is out of date: run go test -update and review the diff", file)
		})
	}
}

// TestBuiltObjectsAreValid creates each case's objects on a real API
// server with strict field validation, as the operator would, then the
// built StatefulSets, Services, Secrets, Roles and RoleBindings: the
// server must accept them and keep every field the builders set.
func TestBuiltObjectsAreValid(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			ctx := t.Context()
			ns := "valid-" + c.name
			ensureNamespace(t, ns)
			var live goldenCase
			for _, p := range c.proms {
				p = p.DeepCopy()
				p.Namespace = ns
				g.Expect(createStrict(ctx, p)).To(Succeed())
				live.proms = append(live.proms, p)
			}
			for _, a := range c.ams {
				a = a.DeepCopy()
				a.Namespace = ns
				g.Expect(createStrict(ctx, a)).To(Succeed())
				live.ams = append(live.ams, a)
			}
			for _, o := range live.build(t) {
				kind := o.GetObjectKind().GroupVersionKind().Kind
				want := testenv.Normalize(asWritten(o))
				g.Expect(createStrict(ctx, o)).To(Succeed(), "%s %s", kind, o.GetName())
				g.Expect(testenv.Contained(kind, want, testenv.Normalize(readBack(t, o)))).To(BeEmpty(), "the API server keeps every field of %s %s", kind, o.GetName())
			}
		})
	}
}
