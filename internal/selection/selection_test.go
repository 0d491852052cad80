package selection

import (
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

var namespaces = Namespaces{
	"monitoring": {"kubernetes.io/metadata.name": "monitoring"},
	"team-a":     {"kubernetes.io/metadata.name": "team-a", "monitoring": "enabled"},
	"team-b":     {"kubernetes.io/metadata.name": "team-b", "monitoring": "disabled"},
}

func TestDecide(t *testing.T) {
	all := &metav1.LabelSelector{}
	teamLabel := &metav1.LabelSelector{MatchLabels: map[string]string{"team": "a"}}
	enabledNS := &metav1.LabelSelector{MatchLabels: map[string]string{"monitoring": "enabled"}}
	for _, tc := range []struct {
		name       string
		sel        Selector
		namespace  string
		labels     map[string]string
		selected   bool
		reasonPart string
	}{
		{name: "nil selector selects nothing", sel: Selector{OwnerNamespace: "monitoring", Namespace: all},
			namespace: "monitoring", reasonPart: "selects nothing"},
		{name: "empty selector selects everything in own namespace", sel: Selector{OwnerNamespace: "monitoring", Resource: all},
			namespace: "monitoring", selected: true},
		{name: "nil namespace selector is the owner's namespace", sel: Selector{OwnerNamespace: "monitoring", Resource: all},
			namespace: "team-a", reasonPart: `namespace "team-a" is not "monitoring"`},
		{name: "empty namespace selector is every namespace", sel: Selector{OwnerNamespace: "monitoring", Resource: all, Namespace: all},
			namespace: "team-b", selected: true},
		{name: "namespace selector by label", sel: Selector{OwnerNamespace: "monitoring", Resource: all, Namespace: enabledNS},
			namespace: "team-a", selected: true},
		{name: "namespace selector does not match", sel: Selector{OwnerNamespace: "monitoring", Resource: all, Namespace: enabledNS},
			namespace: "team-b", reasonPart: `does not match the namespace selector "monitoring=enabled"`},
		{name: "unknown namespace", sel: Selector{OwnerNamespace: "monitoring", Resource: all, Namespace: all},
			namespace: "gone", reasonPart: `namespace "gone" does not exist`},
		{name: "labels match", sel: Selector{OwnerNamespace: "team-a", Resource: teamLabel},
			namespace: "team-a", labels: map[string]string{"team": "a", "x": "y"}, selected: true},
		{name: "labels do not match", sel: Selector{OwnerNamespace: "team-a", Resource: teamLabel},
			namespace: "team-a", labels: map[string]string{"team": "b"}, reasonPart: `labels do not match the selector "team=a"`},
		{name: "match expressions", sel: Selector{OwnerNamespace: "team-a", Resource: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{
				{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"api", "web"}},
				{Key: "legacy", Operator: metav1.LabelSelectorOpDoesNotExist},
			}}}, namespace: "team-a", labels: map[string]string{"tier": "web"}, selected: true},
		{name: "match expressions exclude", sel: Selector{OwnerNamespace: "team-a", Resource: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{
				{Key: "tier", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"batch"}},
			}}}, namespace: "team-a", labels: map[string]string{"tier": "batch"}, reasonPart: "labels do not match"},
		{name: "invalid selector selects nothing", sel: Selector{OwnerNamespace: "team-a", Resource: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: "Near"}}}},
			namespace: "team-a", reasonPart: "invalid label selector"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			d := Compile(tc.sel, namespaces).Decide(tc.namespace, tc.labels)
			g.Expect(d.Selected).To(Equal(tc.selected))
			if !tc.selected {
				g.Expect(d.Reason).To(ContainSubstring(tc.reasonPart))
			}
		})
	}
}

func TestSelectedNamespaces(t *testing.T) {
	g := NewWithT(t)
	all := &metav1.LabelSelector{}
	g.Expect(Compile(Selector{OwnerNamespace: "monitoring", Resource: all}, namespaces).SelectedNamespaces()).
		To(Equal([]string{"monitoring"}))
	g.Expect(Compile(Selector{OwnerNamespace: "monitoring", Resource: all, Namespace: all}, namespaces).SelectedNamespaces()).
		To(Equal([]string{"monitoring", "team-a", "team-b"}))
}

// ignoreNamespaceSelectors does not change which objects a Prometheus
// selects: Prometheus Operator reads it only when it writes a monitor's
// kubernetes_sd namespaces (pkg/prometheus/promcfg.go:2437-2446); monitors,
// probes and scrape configs are listed from the namespaces the namespace
// selector picks (pkg/prometheus/resource_selector.go:111) and rules from
// those ruleNamespaceSelector picks (pkg/prometheus/server/rules.go:34).
func TestForPrometheusIgnoreNamespaceSelectors(t *testing.T) {
	all := &metav1.LabelSelector{}
	enabledNS := &metav1.LabelSelector{MatchLabels: map[string]string{"monitoring": "enabled"}}
	for _, tc := range []struct {
		name      string
		nsSel     *metav1.LabelSelector
		namespace string
		selected  bool
	}{
		{name: "empty namespace selector still takes every namespace", nsSel: all, namespace: "team-b", selected: true},
		{name: "namespace selector by label still applies", nsSel: enabledNS, namespace: "team-a", selected: true},
		{name: "namespace selector by label still refuses", nsSel: enabledNS, namespace: "team-b"},
		{name: "nil namespace selector is still the own namespace", namespace: "monitoring", selected: true},
		{name: "nil namespace selector still refuses others", namespace: "team-a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			p := &monitoringv1.Prometheus{ObjectMeta: metav1.ObjectMeta{Namespace: "monitoring", Name: "main"}}
			p.Spec.IgnoreNamespaceSelectors = true
			p.Spec.ServiceMonitorSelector, p.Spec.ServiceMonitorNamespaceSelector = all, tc.nsSel
			p.Spec.PodMonitorSelector, p.Spec.PodMonitorNamespaceSelector = all, tc.nsSel
			p.Spec.ProbeSelector, p.Spec.ProbeNamespaceSelector = all, tc.nsSel
			p.Spec.ScrapeConfigSelector, p.Spec.ScrapeConfigNamespaceSelector = all, tc.nsSel
			p.Spec.RuleSelector, p.Spec.RuleNamespaceSelector = all, tc.nsSel
			s := ForPrometheus(p, namespaces)
			for kind, m := range map[string]*Matcher{"ServiceMonitor": s.ServiceMonitors, "PodMonitor": s.PodMonitors,
				"Probe": s.Probes, "ScrapeConfig": s.ScrapeConfigs, "PrometheusRule": s.Rules} {
				d := m.Decide(tc.namespace, nil)
				g.Expect(d.Selected).To(Equal(tc.selected), kind)
				g.Expect(d.Reason).NotTo(ContainSubstring("ignoreNamespaceSelectors"), kind)
			}
		})
	}
}
