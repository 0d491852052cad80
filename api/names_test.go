package api_test

import (
	"fmt"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

type servedKind struct {
	kind, plural, shortName, version string
	scale                            bool
}

// servedKinds are Prometheus Operator's names for the kinds Vigil serves.
var servedKinds = []servedKind{
	{"ServiceMonitor", "servicemonitors", "smon", "v1", false},
	{"PodMonitor", "podmonitors", "pmon", "v1", false},
	{"Probe", "probes", "prb", "v1", false},
	{"PrometheusRule", "prometheusrules", "promrule", "v1", false},
	{"Prometheus", "prometheuses", "prom", "v1", true},
	{"Alertmanager", "alertmanagers", "am", "v1", true},
	{"AlertmanagerConfig", "alertmanagerconfigs", "amcfg", "v1alpha1", false},
	{"ScrapeConfig", "scrapeconfigs", "scfg", "v1alpha1", false},
}

// TestCRDNamesMatchPrometheusOperator reads the generated CRDs and checks
// each kind's names, scope, version and subresources, so that kubectl, Helm
// charts and kube-prometheus address them as they address Prometheus
// Operator's.
func TestCRDNamesMatchPrometheusOperator(t *testing.T) {
	for _, want := range servedKinds {
		t.Run(want.kind, func(t *testing.T) {
			g := NewWithT(t)
			file := filepath.Join(testenv.CRDDir(), fmt.Sprintf("monitoring.coreos.com_%s.yaml", want.plural))
			objs, err := manifest.ReadFile(file)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(objs).To(HaveLen(1))
			var crd apiextensionsv1.CustomResourceDefinition
			g.Expect(runtime.DefaultUnstructuredConverter.FromUnstructured(objs[0].Object, &crd)).To(Succeed())

			g.Expect(crd.Spec.Group).To(Equal("monitoring.coreos.com"))
			g.Expect(crd.Spec.Scope).To(Equal(apiextensionsv1.NamespaceScoped))
			g.Expect(crd.Spec.Names.Kind).To(Equal(want.kind))
			g.Expect(crd.Spec.Names.ListKind).To(Equal(want.kind + "List"))
			g.Expect(crd.Spec.Names.Plural).To(Equal(want.plural))
			g.Expect(crd.Spec.Names.ShortNames).To(ConsistOf(want.shortName))
			g.Expect(crd.Spec.Names.Categories).To(ConsistOf("prometheus-operator"))
			g.Expect(crd.Spec.Versions).To(HaveLen(1))
			v := crd.Spec.Versions[0]
			g.Expect(v.Name).To(Equal(want.version))
			g.Expect(v.Served && v.Storage).To(BeTrue())
			g.Expect(v.Subresources).NotTo(BeNil())
			g.Expect(v.Subresources.Status).NotTo(BeNil(), "status subresource")
			if want.scale {
				g.Expect(v.Subresources.Scale).NotTo(BeNil(), "scale subresource")
			}
		})
	}
}

// TestCRDKustomizationListsEveryCRD keeps config/crd/kustomization.yaml in
// step with the generated files.
func TestCRDKustomizationListsEveryCRD(t *testing.T) {
	g := NewWithT(t)
	objs, err := manifest.ReadFile(filepath.Join(testenv.CRDDir(), "..", "kustomization.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(objs).To(HaveLen(1))
	var listed []string
	for _, r := range objs[0].Object["resources"].([]any) {
		listed = append(listed, filepath.Base(r.(string)))
	}
	files, err := filepath.Glob(filepath.Join(testenv.CRDDir(), "*.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	var generated []string
	for _, f := range files {
		generated = append(generated, filepath.Base(f))
	}
	g.Expect(listed).To(ConsistOf(generated))
	g.Expect(generated).To(HaveLen(len(servedKinds)))
}
