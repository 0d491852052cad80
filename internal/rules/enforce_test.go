package rules

import (
	"testing"

	. "github.com/onsi/gomega"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

func TestEnforceNamespaceLabelExpressions(t *testing.T) {
	for _, tc := range []struct {
		name, expr, want string
	}{
		{"simple selector", `up`, `up{namespace="team-a"}`},
		{"selector with other matchers", `up{job="api",instance!=""}`, `up{instance!="",job="api",namespace="team-a"}`},
		{"label already set to another namespace", `up{namespace="team-b"}`, `up{namespace="team-a"}`},
		{"regex and negative matchers on the label replaced", `up{namespace=~"team-.*",namespace!="x"}`, `up{namespace="team-a"}`},
		{"name as a matcher", `{__name__="up",job="x"}`, `{__name__="up",job="x",namespace="team-a"}`},
		{"binary operation", `errors / on (job) group_left total > 0.1`,
			`errors{namespace="team-a"} / on (job) group_left () total{namespace="team-a"} > 0.1`},
		{"set operator", `a unless b`, `a{namespace="team-a"} unless b{namespace="team-a"}`},
		{"range selector with offset", `rate(http_requests_total[5m] offset 1h)`, `rate(http_requests_total{namespace="team-a"}[5m] offset 1h)`},
		{"subquery", `max_over_time(rate(x[5m])[1h:1m])`, `max_over_time(rate(x{namespace="team-a"}[5m])[1h:1m])`},
		{"aggregation", `sum by (job) (rate(x[5m]))`, `sum by (job) (rate(x{namespace="team-a"}[5m]))`},
		{"aggregation with parameter", `topk(3, x)`, `topk(3, x{namespace="team-a"})`},
		{"count_values", `count_values("v", x)`, `count_values("v", x{namespace="team-a"})`},
		{"function with string arguments", `label_replace(up, "a", "$1", "b", "(.*)")`, `label_replace(up{namespace="team-a"}, "a", "$1", "b", "(.*)")`},
		{"absent keeps its labels", `absent(up{job="x"})`, `absent(up{job="x",namespace="team-a"})`},
		{"absent_over_time", `absent_over_time(up[5m])`, `absent_over_time(up{namespace="team-a"}[5m])`},
		{"unary and parentheses", `-(up)`, `-(up{namespace="team-a"})`},
		{"at modifier", `up @ 100`, `up{namespace="team-a"} @ 100.000`},
		{"number only", `1`, `1`},
		{"vector of a number", `vector(1)`, `vector(1)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in := promRule("team-a", "r", group("g", alert("A", tc.expr), record("r:x", tc.expr)))
			res := Generate(enforcing("namespace"), []monitoringv1.PrometheusRule{in})
			g.Expect(res.Rejected).To(BeEmpty())
			file := res.Files[FileName(&in)]
			groups := mustLoad(t, FileName(&in), file)
			for _, r := range groups.Groups[0].Rules {
				g.Expect(r.Expr).To(Equal(tc.want))
				g.Expect(r.Labels).To(HaveKeyWithValue("namespace", "team-a"))
			}
		})
	}
}

func TestEnforceNamespaceLabelRuleLabels(t *testing.T) {
	g := NewWithT(t)
	grp := group("g",
		alert("A", "up", withLabel("namespace", "team-b"), withLabel("severity", "page")),
		record("r:x", "up"))
	grp.Labels = map[string]string{"namespace": "team-b", "team": "a"}
	in := promRule("team-a", "r", grp)
	before := in.DeepCopy()

	res := Generate(enforcing("tenant"), []monitoringv1.PrometheusRule{in})

	g.Expect(res.Rejected).To(BeEmpty())
	groups := mustLoad(t, "r", res.Files[FileName(&in)])
	rules := groups.Groups[0].Rules
	g.Expect(rules[0].Labels).To(Equal(map[string]string{"namespace": "team-b", "severity": "page", "tenant": "team-a"}))
	g.Expect(rules[1].Labels).To(Equal(map[string]string{"tenant": "team-a"}))
	g.Expect(rules[0].Expr).To(Equal(`up{tenant="team-a"}`))
	// The group's labels are left alone: the rule's own label wins over
	// them in Prometheus.
	g.Expect(groups.Groups[0].Labels).To(Equal(map[string]string{"namespace": "team-b", "team": "a"}))
	g.Expect(in).To(Equal(*before), "the caller's object must not change")
}

func TestEnforceNamespaceLabelExclusions(t *testing.T) {
	ref := func(resource, ns, name string) monitoringv1.ObjectReference {
		return monitoringv1.ObjectReference{Group: "monitoring.coreos.com", Resource: resource, Namespace: ns, Name: name}
	}
	for _, tc := range []struct {
		name     string
		prom     *monitoringv1.Prometheus
		enforced bool
	}{
		{"no label", enforcing(""), false},
		{"nil Prometheus", nil, false},
		{"label, no exclusions", enforcing("namespace"), true},
		{"excluded by name", enforcing("namespace", ref("prometheusrules", "team-a", "r")), false},
		{"excluded with its whole namespace", enforcing("namespace", ref("prometheusrules", "team-a", "")), false},
		{"excluded without a group (not defaulted)", enforcing("namespace", monitoringv1.ObjectReference{Resource: "prometheusrules", Namespace: "team-a"}), false},
		{"another object excluded", enforcing("namespace", ref("prometheusrules", "team-a", "other")), true},
		{"another namespace excluded", enforcing("namespace", ref("prometheusrules", "team-b", "")), true},
		{"a ServiceMonitor of that name excluded", enforcing("namespace", ref("servicemonitors", "team-a", "r")), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in := promRule("team-a", "r", group("g", alert("A", `up{job="x"}`)))
			res := Generate(tc.prom, []monitoringv1.PrometheusRule{in})
			g.Expect(res.Rejected).To(BeEmpty())
			r := mustLoad(t, "r", res.Files[FileName(&in)]).Groups[0].Rules[0]
			if tc.enforced {
				g.Expect(r.Expr).To(Equal(`up{job="x",namespace="team-a"}`))
				g.Expect(r.Labels).To(HaveKeyWithValue("namespace", "team-a"))
			} else {
				g.Expect(r.Expr).To(Equal(`up{job="x"}`))
				g.Expect(r.Labels).NotTo(HaveKey("namespace"))
			}
		})
	}
}
