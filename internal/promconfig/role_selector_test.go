package promconfig

import (
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/prometheus/discovery/kubernetes"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// TestRoleSelector: with selectorMechanism RoleSelector the selector goes
// to Kubernetes discovery, for every role the discovery lists (endpoints or
// endpointslice, and service, for a ServiceMonitor; pod for a PodMonitor),
// even when it is empty, and no relabel rule filters on it. This is what
// Prometheus Operator writes (pkg/prometheus/promcfg.go:1471, 1980,
// 2460-2470, 2565-2589, and the selector rules only under Relabel at 1528
// and 2046).
func TestRoleSelector(t *testing.T) {
	sel := metav1.LabelSelector{
		MatchLabels:      map[string]string{"app": "api"},
		MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpExists}},
	}
	role, relabel := ptr(monitoringv1.SelectorMechanismRole), ptr(monitoringv1.SelectorMechanismRelabel)
	for _, tc := range []struct {
		name        string
		mechanism   *monitoringv1.SelectorMechanism
		selector    metav1.LabelSelector
		sdRole      *monitoringv1.ServiceDiscoveryRole
		wantSM      []kubernetes.SelectorConfig
		wantPM      []kubernetes.SelectorConfig
		selectRules int
	}{
		{name: "unset: relabel rules", selector: sel, selectRules: 2},
		{name: "RelabelConfig: relabel rules", mechanism: relabel, selector: sel, selectRules: 2},
		{name: "RoleSelector", mechanism: role, selector: sel,
			wantSM: []kubernetes.SelectorConfig{{Role: "endpoints", Label: "app=api,tier"}, {Role: "service", Label: "app=api,tier"}},
			wantPM: []kubernetes.SelectorConfig{{Role: "pod", Label: "app=api,tier"}}},
		{name: "RoleSelector with EndpointSlice", mechanism: role, selector: sel, sdRole: ptr(monitoringv1.EndpointSliceRole),
			wantSM: []kubernetes.SelectorConfig{{Role: "endpointslice", Label: "app=api,tier"}, {Role: "service", Label: "app=api,tier"}},
			wantPM: []kubernetes.SelectorConfig{{Role: "pod", Label: "app=api,tier"}}},
		{name: "RoleSelector with an empty selector", mechanism: role,
			wantSM: []kubernetes.SelectorConfig{{Role: "endpoints"}, {Role: "service"}},
			wantPM: []kubernetes.SelectorConfig{{Role: "pod"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			sm := newServiceMonitor("team-a", "api", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.SelectorMechanism, m.Spec.Selector, m.Spec.ServiceDiscoveryRole = tc.mechanism, tc.selector, tc.sdRole
			})
			pm := newPodMonitor("team-a", "workers", func(m *monitoringv1.PodMonitor) {
				m.Spec.SelectorMechanism, m.Spec.Selector = tc.mechanism, tc.selector
			})
			res := mustGenerate(t, Input{Prometheus: newPrometheus(), ServiceMonitors: []*monitoringv1.ServiceMonitor{sm},
				PodMonitors: []*monitoringv1.PodMonitor{pm}})
			g.Expect(res.Rejected).To(BeEmpty())
			c := load(t, res.Config)
			for job, want := range map[string][]kubernetes.SelectorConfig{
				"serviceMonitor/team-a/api/0": tc.wantSM, "podMonitor/team-a/workers/0": tc.wantPM,
			} {
				sc := scrapeJob(t, c, job)
				sd, ok := sc.ServiceDiscoveryConfigs[0].(*kubernetes.SDConfig)
				g.Expect(ok).To(BeTrue())
				g.Expect(sd.Selectors).To(Equal(want), job)
				selectRules := 0
				for _, r := range sc.RelabelConfigs {
					for _, l := range r.SourceLabels {
						if l == "__meta_kubernetes_service_labelpresent_app" || l == "__meta_kubernetes_pod_labelpresent_app" ||
							l == "__meta_kubernetes_service_labelpresent_tier" || l == "__meta_kubernetes_pod_labelpresent_tier" {
							selectRules++
						}
					}
				}
				g.Expect(selectRules).To(Equal(tc.selectRules), job)
			}
		})
	}
}
