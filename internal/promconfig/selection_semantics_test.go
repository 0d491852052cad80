package promconfig

import (
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/prometheus/discovery/kubernetes"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8slabels "k8s.io/apimachinery/pkg/labels"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// labelSets are the labels of the Services, Pods or Ingresses a selector
// is tried against.
var labelSets = []map[string]string{
	{},
	{"app": "api"},
	{"app": "api", "tier": "backend"},
	{"app": "api", "tier": "frontend"},
	{"app": "api", "track": "stable"},
	{"app": "api", "track": "canary", "tier": "backend"},
	{"app": "api", "track": "edge"},
	{"app": "api", "env": "dev"},
	{"app": "api", "env": "prod"},
	{"app": "api", "legacy": "true"},
	{"app": "api", "legacy": ""},
	{"app": "api", "app.kubernetes.io/name": "api"},
	{"app": "web"},
	{"app": ""},
	{"app": "api-v2"},
	{"tier": "backend"},
}

var selectors = map[string]metav1.LabelSelector{
	"empty":        {},
	"matchLabels":  {MatchLabels: map[string]string{"app": "api", "tier": "backend"}},
	"In":           {MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "track", Operator: metav1.LabelSelectorOpIn, Values: []string{"stable", "canary"}}}},
	"NotIn":        {MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "env", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"dev"}}}},
	"Exists":       {MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app.kubernetes.io/name", Operator: metav1.LabelSelectorOpExists}}},
	"DoesNotExist": {MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "legacy", Operator: metav1.LabelSelectorOpDoesNotExist}}},
	"all together": {
		MatchLabels: map[string]string{"app": "api"},
		MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "track", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"edge"}},
			{Key: "legacy", Operator: metav1.LabelSelectorOpDoesNotExist},
			{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"backend", "frontend"}},
		},
	},
	"empty value": {MatchLabels: map[string]string{"app": ""}},
}

// metaLabels is how Prometheus's Kubernetes discovery presents an object's
// labels: <prefix>_label_<name> and <prefix>_labelpresent_<name>.
func metaLabels(prefix string, objLabels map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range objLabels {
		out[prefix+"_label_"+sanitize(k)] = v
		out[prefix+"_labelpresent_"+sanitize(k)] = "true"
	}
	return out
}

// TestSelectorRulesMatchKubernetes: the relabel rules a selector becomes
// keep exactly the targets whose object Kubernetes's own selector matches,
// for Services (ServiceMonitor), Pods (PodMonitor) and Ingresses (Probe).
func TestSelectorRulesMatchKubernetes(t *testing.T) {
	for name, sel := range selectors {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			want, err := metav1.LabelSelectorAsSelector(&sel)
			g.Expect(err).NotTo(HaveOccurred())

			sm := newServiceMonitor("team-a", "api", func(m *monitoringv1.ServiceMonitor) { m.Spec.Selector = sel })
			pm := newPodMonitor("team-a", "api", func(m *monitoringv1.PodMonitor) { m.Spec.Selector = sel })
			pr := newProbe("team-a", "api", func(p *monitoringv1.Probe) {
				p.Spec.Targets = monitoringv1.ProbeTargets{Ingress: &monitoringv1.ProbeTargetIngress{Selector: sel}}
			})
			res := mustGenerate(t, Input{Prometheus: newPrometheus(), ServiceMonitors: []*monitoringv1.ServiceMonitor{sm},
				PodMonitors: []*monitoringv1.PodMonitor{pm}, Probes: []*monitoringv1.Probe{pr}})
			g.Expect(res.Rejected).To(BeEmpty())
			c := load(t, res.Config)
			for _, objLabels := range labelSets {
				matches := want.Matches(k8slabels.Set(objLabels))

				svc := endpointTarget("endpoints", func(m map[string]string) {
					for k := range m {
						if len(k) > 31 && k[:31] == "__meta_kubernetes_service_label" {
							delete(m, k)
						}
					}
					for k, v := range metaLabels("__meta_kubernetes_service", objLabels) {
						m[k] = v
					}
				})
				_, kept := discover(t, scrapeJob(t, c, "serviceMonitor/team-a/api/0"), svc)
				g.Expect(kept).To(Equal(matches), "ServiceMonitor, Service labels %v", objLabels)

				pod := metaLabels("__meta_kubernetes_pod", objLabels)
				pod["__address__"] = "10.213.0.9:9100"
				pod["__meta_kubernetes_pod_container_port_name"] = "metrics"
				_, kept = discover(t, scrapeJob(t, c, "podMonitor/team-a/api/0"), pod)
				g.Expect(kept).To(Equal(matches), "PodMonitor, Pod labels %v", objLabels)

				ing := metaLabels("__meta_kubernetes_ingress", objLabels)
				ing["__address__"] = "shop.example.com"
				ing["__meta_kubernetes_ingress_scheme"] = "https"
				ing["__meta_kubernetes_ingress_path"] = "/"
				_, kept = discover(t, scrapeJob(t, c, "probe/team-a/api"), ing)
				g.Expect(kept).To(Equal(matches), "Probe, Ingress labels %v", objLabels)
			}
		})
	}
}

// TestDiscoveryNamespaces: where a monitor discovers targets, as
// Prometheus loads it: its own namespace by default, the listed ones, all
// with any, and only its own with ignoreNamespaceSelectors.
func TestDiscoveryNamespaces(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sel    monitoringv1.NamespaceSelector
		ignore bool
		want   []string // nil: every namespace
	}{
		{name: "unset is the monitor's namespace", want: []string{"team-a"}},
		{name: "matchNames", sel: monitoringv1.NamespaceSelector{MatchNames: []string{"team-b", "team-c"}}, want: []string{"team-b", "team-c"}},
		{name: "any", sel: monitoringv1.NamespaceSelector{Any: true}, want: nil},
		{name: "any wins over matchNames", sel: monitoringv1.NamespaceSelector{Any: true, MatchNames: []string{"team-b"}}, want: nil},
		{name: "ignoreNamespaceSelectors and any", sel: monitoringv1.NamespaceSelector{Any: true}, ignore: true, want: []string{"team-a"}},
		{name: "ignoreNamespaceSelectors and matchNames", sel: monitoringv1.NamespaceSelector{MatchNames: []string{"team-b"}}, ignore: true,
			want: []string{"team-a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			sm := newServiceMonitor("team-a", "api", func(m *monitoringv1.ServiceMonitor) { m.Spec.NamespaceSelector = tc.sel })
			pm := newPodMonitor("team-a", "api", func(m *monitoringv1.PodMonitor) { m.Spec.NamespaceSelector = tc.sel })
			pr := newProbe("team-a", "api", func(p *monitoringv1.Probe) {
				p.Spec.Targets = monitoringv1.ProbeTargets{Ingress: &monitoringv1.ProbeTargetIngress{NamespaceSelector: tc.sel}}
			})
			p := newPrometheus(func(p *monitoringv1.Prometheus) { p.Spec.IgnoreNamespaceSelectors = tc.ignore })
			res := mustGenerate(t, Input{Prometheus: p, ServiceMonitors: []*monitoringv1.ServiceMonitor{sm},
				PodMonitors: []*monitoringv1.PodMonitor{pm}, Probes: []*monitoringv1.Probe{pr}})
			c := load(t, res.Config)
			for _, job := range []string{"serviceMonitor/team-a/api/0", "podMonitor/team-a/api/0", "probe/team-a/api"} {
				sd := scrapeJob(t, c, job).ServiceDiscoveryConfigs
				g.Expect(sd).To(HaveLen(1))
				k, ok := sd[0].(*kubernetes.SDConfig)
				g.Expect(ok).To(BeTrue())
				g.Expect(k.NamespaceDiscovery.Names).To(Equal(tc.want), job)
				g.Expect(k.NamespaceDiscovery.IncludeOwnNamespace).To(BeFalse(), job)
			}
		})
	}
}
