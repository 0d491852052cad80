package promconfig

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/prometheus/config"
	"go.yaml.in/yaml/v2"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/selection"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// kubePrometheusInput reads kube-prometheus's Prometheus `k8s` and the
// ServiceMonitors it selects.
func kubePrometheusInput(t *testing.T) Input {
	t.Helper()
	g := NewWithT(t)
	files, err := filepath.Glob(filepath.Join(testenv.KubePrometheusDir(), "*.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	var in Input
	namespaces := selection.Namespaces{}
	var monitors []*monitoringv1.ServiceMonitor
	for _, f := range files {
		data, err := os.ReadFile(f)
		g.Expect(err).NotTo(HaveOccurred())
		docs, err := manifest.Documents(data)
		g.Expect(err).NotTo(HaveOccurred())
		for _, doc := range docs {
			var head struct{ Kind string }
			g.Expect(json.Unmarshal(doc, &head)).To(Succeed())
			switch head.Kind {
			case "Prometheus":
				in.Prometheus = &monitoringv1.Prometheus{}
				g.Expect(manifest.DecodeStrict(doc, in.Prometheus)).To(Succeed())
			case "ServiceMonitor":
				m := &monitoringv1.ServiceMonitor{}
				g.Expect(manifest.DecodeStrict(doc, m)).To(Succeed())
				monitors = append(monitors, m)
			case "Namespace":
				var ns struct {
					Metadata struct {
						Name   string
						Labels map[string]string
					}
				}
				g.Expect(json.Unmarshal(doc, &ns)).To(Succeed())
				namespaces[ns.Metadata.Name] = ns.Metadata.Labels
			}
		}
	}
	g.Expect(in.Prometheus).NotTo(BeNil())
	// Namespaces of the monitors' targets exist in a real cluster too.
	namespaces["default"], namespaces["kube-system"] = map[string]string{}, map[string]string{}
	p := in.Prometheus
	m := selection.Compile(selection.Selector{OwnerNamespace: p.Namespace, Resource: p.Spec.ServiceMonitorSelector,
		Namespace: p.Spec.ServiceMonitorNamespaceSelector}, namespaces)
	for _, sm := range monitors {
		if m.Decide(sm.Namespace, sm.Labels).Selected {
			in.ServiceMonitors = append(in.ServiceMonitors, sm)
		}
	}
	return in
}

// TestKubePrometheusMatchesPrometheusOperator compares Vigil's configuration
// for kube-prometheus with what Prometheus Operator 0.93 generates for the
// same input, job by job, after both are loaded by Prometheus's parser (so
// Prometheus's defaults do not count as differences).
func TestKubePrometheusMatchesPrometheusOperator(t *testing.T) {
	g := NewWithT(t)
	in := kubePrometheusInput(t)
	g.Expect(in.ServiceMonitors).To(HaveLen(13))
	// Prometheus Operator names three rule ConfigMaps whether or not they
	// exist; Vigil names the ones the rules package made.
	in.RuleConfigMaps = []string{"prometheus-k8s-rulefiles-0"}

	res, err := Generate(in)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Rejected).To(BeEmpty())
	ours, err := config.Load(string(res.Config), discard)
	g.Expect(err).NotTo(HaveOccurred())

	refBytes, err := os.ReadFile(filepath.Join(testenv.KubePrometheusDir(), "po-reference", "prometheus.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	ref, err := config.Load(string(refBytes), discard)
	g.Expect(err).NotTo(HaveOccurred())

	g.Expect(ref.ScrapeConfigs).To(HaveLen(22))
	g.Expect(jobNames(ours)).To(Equal(jobNames(ref)), "same jobs in the same order")
	for i, want := range ref.ScrapeConfigs {
		t.Run(want.JobName, func(t *testing.T) {
			NewWithT(t).Expect(marshal(t, ours.ScrapeConfigs[i])).To(Equal(marshal(t, want)))
		})
	}
	t.Run("global", func(t *testing.T) {
		NewWithT(t).Expect(marshal(t, ours.GlobalConfig)).To(Equal(marshal(t, ref.GlobalConfig)))
	})
	t.Run("alerting", func(t *testing.T) {
		NewWithT(t).Expect(marshal(t, ours.AlertingConfig)).To(Equal(marshal(t, ref.AlertingConfig)))
	})
	t.Run("storage", func(t *testing.T) {
		NewWithT(t).Expect(marshal(t, ours.StorageConfig)).To(Equal(marshal(t, ref.StorageConfig)))
	})
	t.Run("rule files", func(t *testing.T) {
		// Vigil differs on purpose: it names only the rule ConfigMaps that
		// exist, where Prometheus Operator always names three.
		NewWithT(t).Expect(ref.RuleFiles).To(ContainElements(ours.RuleFiles))
	})
}

func jobNames(c *config.Config) []string {
	var out []string
	for _, sc := range c.ScrapeConfigs {
		out = append(out, sc.JobName)
	}
	return out
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
