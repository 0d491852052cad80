package rules

import (
	"encoding/json"
	"slices"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/util/intstr"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

func TestRendering(t *testing.T) {
	dur := func(s string) *monitoringv1.Duration { d := monitoringv1.Duration(s); return &d }
	limit := int32(0)
	kff := monitoringv1.NonEmptyDuration("10m")
	for _, tc := range []struct {
		name string
		in   monitoringv1.PrometheusRuleSpec
		want string
	}{
		{
			name: "no groups",
			in:   monitoringv1.PrometheusRuleSpec{},
			want: "groups: []\n",
		},
		{
			name: "a group without rules",
			in:   monitoringv1.PrometheusRuleSpec{Groups: []monitoringv1.RuleGroup{{Name: "g"}}},
			want: "groups:\n- name: g\n  rules: []\n",
		},
		{
			name: "every field, in Prometheus's names",
			in: monitoringv1.PrometheusRuleSpec{Groups: []monitoringv1.RuleGroup{{
				Name: "g", Interval: dur("1m"), QueryOffset: dur("30s"), Limit: &limit,
				Labels:                  map[string]string{"team": "a"},
				PartialResponseStrategy: "warn", // Thanos only: Prometheus refuses the field
				Rules: []monitoringv1.Rule{
					{Record: "job:up:sum", Expr: intstr.FromString("sum by (job) (up)"), Labels: map[string]string{"b": "2", "a": "1"}},
					{Alert: "Down", Expr: intstr.FromString("up == 0\n"), For: dur("5m"), KeepFiringFor: &kff,
						Labels: map[string]string{"severity": "page"}, Annotations: map[string]string{"summary": "{{ $labels.job }} is down"}},
				},
			}}},
			want: `groups:
- name: g
  interval: 1m
  query_offset: 30s
  limit: 0
  labels:
    team: a
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
    labels:
      a: "1"
      b: "2"
  - alert: Down
    expr: |
      up == 0
    for: 5m
    keep_firing_for: 10m
    labels:
      severity: page
    annotations:
      summary: '{{ $labels.job }} is down'
`,
		},
		{
			name: "empty durations are left to Prometheus's defaults",
			in: monitoringv1.PrometheusRuleSpec{Groups: []monitoringv1.RuleGroup{{
				Name: "g", Interval: dur(""),
				Rules: []monitoringv1.Rule{{Alert: "A", Expr: intstr.FromString("up"), For: dur("")}},
			}}},
			want: "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n",
		},
		{
			name: "an integer expression",
			in: monitoringv1.PrometheusRuleSpec{Groups: []monitoringv1.RuleGroup{{
				Name: "g", Rules: []monitoringv1.Rule{{Alert: "Watchdog", Expr: intstr.FromInt32(1)}},
			}}},
			want: "groups:\n- name: g\n  rules:\n  - alert: Watchdog\n    expr: \"1\"\n",
		},
		{
			name: "YAML syntax in user text stays text",
			in: monitoringv1.PrometheusRuleSpec{Groups: []monitoringv1.RuleGroup{{
				Name: "g: x\n- name: injected", Rules: []monitoringv1.Rule{{Alert: "A", Expr: intstr.FromString("up"),
					Annotations: map[string]string{"a": "x\"\n  evil: 'y'"}}},
			}}},
			want: "groups:\n- name: |-\n    g: x\n    - name: injected\n  rules:\n  - alert: A\n    expr: up\n    annotations:\n      a: |-\n        x\"\n          evil: 'y'\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in := monitoringv1.PrometheusRule{Spec: tc.in}
			in.Namespace, in.Name, in.UID = "ns", "r", "uid"
			res := Generate(nil, []monitoringv1.PrometheusRule{in})
			g.Expect(res.Rejected).To(BeEmpty())
			g.Expect(res.Files).To(Equal(map[string]string{"ns-r-uid.yaml": tc.want}))
			mustLoad(t, tc.name, tc.want)
		})
	}
}

func TestFeatureFlagsWidenPromQL(t *testing.T) {
	g := NewWithT(t)
	in := []monitoringv1.PrometheusRule{promRule("team-a", "r", group("g", record("r:x", `sort_by_label(up, "job")`)))}

	g.Expect(Generate(nil, in).Rejected).To(HaveLen(1))

	p := enforcing("namespace")
	p.Spec.EnableFeatures = []monitoringv1.EnableFeature{"promql-experimental-functions"}
	res := Generate(p, in)
	g.Expect(res.Rejected).To(BeEmpty())
	g.Expect(res.Files[FileName(&in[0])]).To(ContainSubstring(`sort_by_label(up{namespace="team-a"}, "job")`))
}

// TestDeterminism gives Generate and Pack the same objects in other orders
// and expects the same bytes.
func TestDeterminism(t *testing.T) {
	g := NewWithT(t)
	kp, _ := kubePrometheusRules(t)
	in := append(slices.Clone(kp),
		promRule("team-a", "bad", group("g", alert("A", "up{"))),
		promRule("team-b", "bad", group("g", alert("A", "up", withLabel("x", "{{")), alert("B", "up", withLabel("y", "{{")))),
		promRule("team-c", "excluded", group("g", alert("A", "up"))),
	)
	p := enforcing("namespace", monitoringv1.ObjectReference{Resource: "prometheusrules", Namespace: "team-c"})
	render := func(rules []monitoringv1.PrometheusRule) []byte {
		res := Generate(p, rules)
		cms, err := Pack("k8s", res.Files)
		g.Expect(err).NotTo(HaveOccurred())
		b, err := json.Marshal(struct {
			ConfigMaps any
			Rejected   []Rejection
		}{cms, res.Rejected})
		g.Expect(err).NotTo(HaveOccurred())
		return b
	}

	want := render(in)
	reversed := slices.Clone(in)
	slices.Reverse(reversed)
	rotated := append(slices.Clone(in[5:]), in[:5]...)
	for _, order := range [][]monitoringv1.PrometheusRule{in, reversed, rotated} {
		g.Expect(string(render(order))).To(Equal(string(want)))
	}
	res := Generate(p, in)
	g.Expect(res.Files).To(HaveLen(9))
	g.Expect(res.Rejected).To(HaveLen(2))
}

func BenchmarkGenerateKubePrometheus(b *testing.B) {
	rules, _ := kubePrometheusRules(b)
	p := enforcing("namespace")
	b.ReportAllocs()
	for b.Loop() {
		res := Generate(p, rules)
		if len(res.Rejected) > 0 {
			b.Fatal(res.Rejected)
		}
		if _, err := Pack("k8s", res.Files); err != nil {
			b.Fatal(err)
		}
	}
}
