package rules

import (
	"testing"

	. "github.com/onsi/gomega"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// TestEmptyInput: no Prometheus object, an empty one, no rules, empty
// rules and empty groups never panic; what is there renders or is
// rejected with a reason.
func TestEmptyInput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		p     *monitoringv1.Prometheus
		rules []monitoringv1.PrometheusRule
	}{
		{"nothing", nil, nil},
		{"empty Prometheus, no rules", &monitoringv1.Prometheus{}, nil},
		{"empty Prometheus, empty rule", &monitoringv1.Prometheus{}, []monitoringv1.PrometheusRule{{}}},
		{"enforced label, empty group and rule", enforcing("namespace"),
			[]monitoringv1.PrometheusRule{{Spec: monitoringv1.PrometheusRuleSpec{Groups: []monitoringv1.RuleGroup{{}, {Name: "g", Rules: []monitoringv1.Rule{{}}}}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			var res Result
			g.Expect(func() { res = Generate(tc.p, tc.rules) }).NotTo(Panic())
			g.Expect(len(res.Files) + len(res.Rejected)).To(Equal(len(tc.rules)))
			g.Expect(func() { _, _ = Pack("", res.Files) }).NotTo(Panic())
		})
	}
}
