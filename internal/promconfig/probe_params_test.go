package promconfig

import (
	"fmt"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/prometheus/discovery/kubernetes"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

func TestProbeModuleWinsOverModuleParam(t *testing.T) {
	for _, tc := range []struct {
		name   string
		module string
		params []monitoringv1.ProbeParam
		want   map[string][]string
	}{
		{"module only", "http_2xx", nil, map[string][]string{"module": {"http_2xx"}}},
		{"module and a module param", "http_2xx", []monitoringv1.ProbeParam{{Name: "module", Values: []string{"tcp"}}, {Name: "debug", Values: []string{"true"}}},
			map[string][]string{"module": {"http_2xx"}, "debug": {"true"}}},
		{"module param only", "", []monitoringv1.ProbeParam{{Name: "module", Values: []string{"tcp"}}}, map[string][]string{"module": {"tcp"}}},
		{"nothing", "", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &monitoringv1.Probe{Spec: monitoringv1.ProbeSpec{Module: tc.module, Params: tc.params}}
			NewWithT(t).Expect(probeParams(p)).To(Equal(tc.want))
		})
	}
}

// ignoreNamespaceSelectors concerns ServiceMonitors, PodMonitors and Probes:
// a ScrapeConfig's kubernetes_sd namespaces are written as the user wrote
// them either way, as Prometheus Operator does
// (pkg/prometheus/promcfg.go:3669-3686 never reads the setting).
func TestScrapeConfigKubernetesSDNamespacesAsWritten(t *testing.T) {
	for _, tc := range []struct {
		name       string
		namespaces *monitoringv1alpha1.NamespaceDiscovery
		want       []string
		own        bool
	}{
		{name: "unset: all namespaces"},
		{name: "names", namespaces: &monitoringv1alpha1.NamespaceDiscovery{Names: []string{"team-b", "team-c"}}, want: []string{"team-b", "team-c"}},
		{name: "own namespace", namespaces: &monitoringv1alpha1.NamespaceDiscovery{IncludeOwnNamespace: ptr(true)}, own: true},
	} {
		for _, ignore := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, ignoreNamespaceSelectors=%t", tc.name, ignore), func(t *testing.T) {
				g := NewWithT(t)
				sc := &monitoringv1alpha1.ScrapeConfig{}
				sc.Namespace, sc.Name = "team-a", "pods"
				sc.Spec.KubernetesSDConfigs = []monitoringv1alpha1.KubernetesSDConfig{{Role: "Pod", Namespaces: tc.namespaces}}
				p := newPrometheus(func(p *monitoringv1.Prometheus) { p.Spec.IgnoreNamespaceSelectors = ignore })
				res := mustGenerate(t, Input{Prometheus: p, ScrapeConfigs: []*monitoringv1alpha1.ScrapeConfig{sc}})
				job := scrapeJob(t, load(t, res.Config), "scrapeConfig/team-a/pods")
				g.Expect(job.ServiceDiscoveryConfigs).To(HaveLen(1))
				sd, ok := job.ServiceDiscoveryConfigs[0].(*kubernetes.SDConfig)
				g.Expect(ok).To(BeTrue())
				g.Expect(sd.NamespaceDiscovery.Names).To(Equal(tc.want))
				g.Expect(sd.NamespaceDiscovery.IncludeOwnNamespace).To(Equal(tc.own))
			})
		}
	}
}
