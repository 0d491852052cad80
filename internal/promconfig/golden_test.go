package promconfig

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/prometheus/config"
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/selection"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	casesDir  = "testdata/cases"
	goldenDir = "testdata/golden"
)

// TestGolden generates the configuration of every case under
// testdata/cases (a multi-document YAML file, or a folder of them) and of
// kube-prometheus, and compares it with testdata/golden/<case>.yaml and the
// rejected objects with testdata/golden/<case>.rejected.txt. Every golden
// configuration is loaded by Prometheus's own parser. `go test -update`
// rewrites the golden files.
func TestGolden(t *testing.T) {
	cases := map[string]func(t *testing.T) Input{
		"kube-prometheus": func(t *testing.T) Input {
			in := kubePrometheusInput(t)
			in.RuleConfigMaps = []string{"prometheus-k8s-rulefiles-0"}
			return in
		},
	}
	entries, err := os.ReadDir(casesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path := filepath.Join(casesDir, e.Name())
		name := strings.TrimSuffix(e.Name(), ".yaml")
		if !e.IsDir() && !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		cases[name] = func(t *testing.T) Input { return loadCase(t, path) }
	}
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	slices.Sort(names)

	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			in := cases[name](t)
			res, err := Generate(in)
			g.Expect(err).NotTo(HaveOccurred())

			configFile := filepath.Join(goldenDir, name+".yaml")
			rejectedFile := filepath.Join(goldenDir, name+".rejected.txt")
			compareGolden(t, configFile, res.Config)
			compareGolden(t, rejectedFile, rejectedText(res.Rejected))

			golden, err := os.ReadFile(configFile)
			g.Expect(err).NotTo(HaveOccurred())
			loaded, err := config.Load(string(golden), discard)
			g.Expect(err).NotTo(HaveOccurred(), "Prometheus loads %s", configFile)

			// A rejected object has no job; every job belongs to an object
			// that was not rejected or to additionalScrapeConfigs.
			for _, r := range res.Rejected {
				prefix := jobPrefix(r.Kind) + "/" + r.Namespace + "/" + r.Name
				for _, j := range jobNames(loaded) {
					g.Expect(j == prefix || strings.HasPrefix(j, prefix+"/")).To(BeFalse(),
						"rejected %s has job %s", r, j)
				}
			}
		})
	}
}

// TestGoldenCasesHaveGoldenFiles makes sure no golden file is left behind
// by a removed or renamed case.
func TestGoldenCasesHaveGoldenFiles(t *testing.T) {
	g := NewWithT(t)
	entries, err := os.ReadDir(casesDir)
	g.Expect(err).NotTo(HaveOccurred())
	want := map[string]bool{"kube-prometheus": true}
	for _, e := range entries {
		want[strings.TrimSuffix(e.Name(), ".yaml")] = true
	}
	golden, err := os.ReadDir(goldenDir)
	g.Expect(err).NotTo(HaveOccurred())
	for _, e := range golden {
		name := strings.TrimSuffix(strings.TrimSuffix(e.Name(), ".rejected.txt"), ".yaml")
		g.Expect(want).To(HaveKey(name), "golden file %s has no case", e.Name())
	}
}

func jobPrefix(kind string) string {
	return map[string]string{
		"ServiceMonitor": "serviceMonitor", "PodMonitor": "podMonitor",
		"Probe": "probe", "ScrapeConfig": "scrapeConfig",
	}[kind]
}

func rejectedText(r []Rejection) []byte {
	var b bytes.Buffer
	for _, x := range r {
		b.WriteString(x.String())
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./internal/promconfig/ -update` to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the generated output (run with -update after checking the change):\n%s",
			path, lineDiff(string(want), string(got)))
	}
}

// lineDiff shows the first lines where want and got differ, enough to see
// what changed without a diff library.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 20; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString(strings.Join([]string{"line ", strconv.Itoa(i + 1), ":\n  - ", wl, "\n  + ", gl, "\n"}, ""))
			shown++
		}
	}
	return b.String()
}

// loadCase reads a case: a multi-document YAML file or a folder of them
// holding one Prometheus, Namespaces, Secrets, ConfigMaps and monitors. The
// monitors are selected with package selection as the controller does; the
// Secrets and ConfigMaps make the Store; ConfigMaps named
// prometheus-<name>-rulefiles-<n> in the Prometheus's namespace are its
// rule ConfigMaps.
func loadCase(t *testing.T, path string) Input {
	t.Helper()
	g := NewWithT(t)
	files := []string{path}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		files, err = filepath.Glob(filepath.Join(path, "*.yaml"))
		g.Expect(err).NotTo(HaveOccurred())
	}
	var (
		p        *monitoringv1.Prometheus
		sms      []*monitoringv1.ServiceMonitor
		pms      []*monitoringv1.PodMonitor
		probes   []*monitoringv1.Probe
		scs      []*monitoringv1alpha1.ScrapeConfig
		cms      []string
		objectNS []string
	)
	store := newMapStore()
	namespaces := selection.Namespaces{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		g.Expect(err).NotTo(HaveOccurred())
		docs, err := manifest.Documents(data)
		g.Expect(err).NotTo(HaveOccurred(), f)
		for i, doc := range docs {
			var head struct{ Kind string }
			g.Expect(json.Unmarshal(doc, &head)).To(Succeed())
			decode := func(into interface{ GetNamespace() string }) {
				g.Expect(manifest.DecodeStrict(doc, into)).To(Succeed(), "%s: document %d (%s)", f, i, head.Kind)
				if ns := into.GetNamespace(); ns != "" {
					objectNS = append(objectNS, ns)
				}
			}
			switch head.Kind {
			case "Prometheus":
				g.Expect(p).To(BeNil(), "one Prometheus per case")
				p = &monitoringv1.Prometheus{}
				decode(p)
			case "Namespace":
				ns := &corev1.Namespace{}
				decode(ns)
				l := map[string]string{"kubernetes.io/metadata.name": ns.Name}
				for k, v := range ns.Labels {
					l[k] = v
				}
				namespaces[ns.Name] = l
			case "Secret":
				s := &corev1.Secret{}
				decode(s)
				data := map[string]string{}
				for k, v := range s.Data {
					data[k] = string(v)
				}
				for k, v := range s.StringData {
					data[k] = v
				}
				store.withSecret(s.Namespace, s.Name, data)
			case "ConfigMap":
				c := &corev1.ConfigMap{}
				decode(c)
				store.withConfigMap(c.Namespace, c.Name, c.Data)
				cms = append(cms, c.Namespace+"/"+c.Name)
			case "ServiceMonitor":
				m := &monitoringv1.ServiceMonitor{}
				decode(m)
				sms = append(sms, m)
			case "PodMonitor":
				m := &monitoringv1.PodMonitor{}
				decode(m)
				pms = append(pms, m)
			case "Probe":
				m := &monitoringv1.Probe{}
				decode(m)
				probes = append(probes, m)
			case "ScrapeConfig":
				m := &monitoringv1alpha1.ScrapeConfig{}
				decode(m)
				scs = append(scs, m)
			default:
				t.Fatalf("%s: document %d: unexpected kind %q", f, i, head.Kind)
			}
		}
	}
	g.Expect(p).NotTo(BeNil(), "%s has no Prometheus", path)
	// Every namespace an object lives in exists, labelled as the API
	// server labels namespaces.
	for _, ns := range objectNS {
		if _, ok := namespaces[ns]; !ok {
			namespaces[ns] = map[string]string{"kubernetes.io/metadata.name": ns}
		}
	}

	in := Input{Prometheus: p, Store: store}
	rulePrefix := p.Namespace + "/prometheus-" + p.Name + "-rulefiles-"
	for _, c := range cms {
		if strings.HasPrefix(c, rulePrefix) {
			in.RuleConfigMaps = append(in.RuleConfigMaps, strings.TrimPrefix(c, p.Namespace+"/"))
		}
	}
	sel := selection.ForPrometheus(p, namespaces)
	in.ServiceMonitors = selection.Filter(sel.ServiceMonitors, sms)
	in.PodMonitors = selection.Filter(sel.PodMonitors, pms)
	in.Probes = selection.Filter(sel.Probes, probes)
	in.ScrapeConfigs = selection.Filter(sel.ScrapeConfigs, scs)
	return in
}
