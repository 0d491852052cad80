package amconfig_test

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	commoncfg "github.com/prometheus/common/config"
	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/amconfig"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/testenv"
	"github.com/vigil-monitoring/vigil/internal/yamlnode"
)

// TestKubePrometheus generates the configuration of kube-prometheus's
// Alertmanager "main" (no AlertmanagerConfigs) and compares it with what
// Prometheus Operator 0.93.0 generated, both as Alertmanager loads them.
//
// Vigil differs on purpose in form only: it keeps the base configuration's
// key order, quoting and comments (Prometheus Operator re-marshals it, which
// reorders keys and adds `templates: []`), so the loaded configurations are
// the same.
func TestKubePrometheus(t *testing.T) {
	g := NewWithT(t)
	dir := testenv.KubePrometheusDir()

	secret := readOne(t, filepath.Join(dir, "alertmanager-secret.yaml"))
	base, found, err := unstructured.NestedString(secret.Object, "stringData", amconfig.ConfigKey)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(found).To(BeTrue())

	var am monitoringv1.Alertmanager
	data, err := os.ReadFile(filepath.Join(dir, "alertmanager-alertmanager.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	docs, err := manifest.Documents(data)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(docs).To(HaveLen(1))
	g.Expect(manifest.DecodeStrict(docs[0], &am)).To(Succeed())
	g.Expect(amconfig.ConfigSecretName(&am)).To(Equal(secret.GetName()))

	res, err := amconfig.Generate(&am, []byte(base), nil, assets.NewStore(nil, nil))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Rejected).To(BeEmpty())

	want, err := os.ReadFile(filepath.Join(dir, "po-reference", "alertmanager.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(loadedString(t, res.Config)).To(Equal(loadedString(t, want)))
}

func readOne(t *testing.T, path string) *unstructured.Unstructured {
	t.Helper()
	objs, err := manifest.ReadFile(path)
	if err != nil || len(objs) != 1 {
		t.Fatalf("%s: want one object, got %d (%v)", path, len(objs), err)
	}
	return objs[0]
}

// loadedString is the configuration as Alertmanager loads it, written back
// in its canonical form with secrets shown, so that two configurations can
// be compared whatever their formatting.
func loadedString(t testing.TB, cfg []byte) string {
	t.Helper()
	c := mustLoad(t, cfg)
	defer func(v bool) { commoncfg.MarshalSecretValue = v }(commoncfg.MarshalSecretValue)
	commoncfg.MarshalSecretValue = true
	return c.String()
}

// TestBaseKept checks, for every golden input, that the base configuration
// comes out as Alertmanager loads it once its anchors and merge keys are
// done as YAML says (yamlnode.Resolve; Alertmanager's own loader would
// concatenate a merged list with an explicit one, Prometheus Operator and
// Vigil do not), whether AlertmanagerConfigs are added to it or not:
// nothing of it is lost or changed in the round trip.
func TestBaseKept(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			g := NewWithT(t)
			in := readInput(t, filepath.Join(dir, "input.yaml"))
			base := resolved(t, in.base)
			if len(base) == 0 {
				base = []byte(amconfig.DefaultConfig)
			}

			in.configs = nil
			res, err := in.generate()
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(loadedString(t, res.Config)).To(Equal(loadedString(t, base)))

			// With the AlertmanagerConfigs, the base's routes come last.
			in = readInput(t, filepath.Join(dir, "input.yaml"))
			res, err = in.generate()
			g.Expect(err).NotTo(HaveOccurred())
			got, want := mustLoad(t, res.Config).Route.Routes, mustLoad(t, base).Route.Routes
			g.Expect(len(got)).To(BeNumerically(">=", len(want)))
			for i, r := range want {
				g.Expect(got[len(got)-len(want)+i]).To(Equal(r))
			}
		})
	}
}

// resolved is the YAML document with its anchors and merge keys done.
func resolved(t testing.TB, doc []byte) []byte {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal(doc, &n); err != nil {
		t.Fatal(err)
	}
	if len(n.Content) == 0 {
		return doc
	}
	out, err := yaml.Marshal(yamlnode.Resolve(&n))
	if err != nil {
		t.Fatal(err)
	}
	return out
}
