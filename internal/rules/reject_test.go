package rules

import (
	"fmt"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/util/intstr"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

func TestRejectedObjects(t *testing.T) {
	dur := func(s string) *monitoringv1.Duration { d := monitoringv1.Duration(s); return &d }
	for _, tc := range []struct {
		name   string
		prom   *monitoringv1.Prometheus
		bad    monitoringv1.PrometheusRule
		reason []string // substrings of the reason
	}{
		{
			name:   "PromQL that does not parse",
			bad:    promRule("team-b", "bad", group("g", alert("A", "sum(rate(x[5m])"))),
			reason: []string{`group "g", rule 1, "A": could not parse expression`, "unclosed left parenthesis"},
		},
		{
			name:   "PromQL that does not parse, namespace label enforced",
			prom:   enforcing("namespace"),
			bad:    promRule("team-b", "bad", group("g", record("r:x", "up"), alert("A", "up{"))),
			reason: []string{`group "g", rule 2, "A": could not parse expression`},
		},
		{
			name:   "an experimental function without the feature flag",
			bad:    promRule("team-b", "bad", group("g", alert("A", "sort_by_label(up, \"job\")"))),
			reason: []string{"could not parse expression", `function "sort_by_label" is not enabled`},
		},
		{
			name:   "a template that does not parse in an annotation",
			bad:    promRule("team-b", "bad", group("g", alert("A", "up == 0", withAnnotation("summary", "{{ $labels.job ")))),
			reason: []string{`group "g", rule 1, "A": annotation "summary"`},
		},
		{
			name:   "a template calling an unknown function in a label",
			bad:    promRule("team-b", "bad", group("g", alert("A", "up == 0", withLabel("severity", "{{ nosuchfunc }}")))),
			reason: []string{`label "severity"`, "nosuchfunc"},
		},
		{
			name:   "an invalid for duration",
			bad:    promRule("team-b", "bad", group("g", alert("A", "up == 0", withFor("5 minutes")))),
			reason: []string{`group "g", rule 1, "A": for: unknown unit " minutes" in duration "5 minutes"`},
		},
		{
			name: "an invalid group interval",
			bad: func() monitoringv1.PrometheusRule {
				r := promRule("team-b", "bad", group("g", alert("A", "up == 0")))
				r.Spec.Groups[0].Interval = dur("1x")
				return r
			}(),
			reason: []string{`group "g": interval: unknown unit "x" in duration "1x"`},
		},
		{
			name:   "braces in a recording rule's name",
			bad:    promRule("team-b", "bad", group("g", record(`r{a="b"}`, "up"))),
			reason: []string{"braces present in the recording rule name"},
		},
		{
			name:   "__name__ as a rule label",
			bad:    promRule("team-b", "bad", group("g", alert("A", "up", withLabel("__name__", "x")))),
			reason: []string{"invalid label name: __name__"},
		},
		{
			name:   "both record and alert",
			bad:    promRule("team-b", "bad", group("g", monitoringv1.Rule{Record: "r", Alert: "A", Expr: intstr.FromString("up")})),
			reason: []string{"only one of 'record' and 'alert' must be set"},
		},
		{
			name:   "an empty expression",
			bad:    promRule("team-b", "bad", group("g", alert("A", ""))),
			reason: []string{"field 'expr' must be set in rule"},
		},
		{
			name:   "two groups of the same name",
			bad:    promRule("team-b", "bad", group("g", alert("A", "up")), group("g", alert("B", "up"))),
			reason: []string{`groupname: "g" is repeated in the same file`},
		},
		{
			name:   "text that is not UTF-8",
			bad:    promRule("team-b", "bad", group("g", alert("A", "up", withAnnotation("summary", "caf\xe9")))),
			reason: []string{`annotations["summary"]: "caf\xe9" is not valid UTF-8`},
		},
		{
			name:   "a file over the ConfigMap limit",
			bad:    promRule("team-b", "bad", group("g", alert("A", "up", withAnnotation("description", strings.Repeat("x", MaxConfigMapDataSize))))),
			reason: []string{"more than the 524288 bytes a rule ConfigMap holds"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			good1 := promRule("team-a", "good", group("g", alert("A", "up == 0", withFor("5m"))))
			good2 := promRule("team-c", "good", group("g", record("r:x", "sum(up)")))

			res := Generate(tc.prom, []monitoringv1.PrometheusRule{good1, tc.bad, good2})

			g.Expect(res.Files).To(HaveLen(2))
			g.Expect(res.Files).To(HaveKey(FileName(&good1)))
			g.Expect(res.Files).To(HaveKey(FileName(&good2)))
			for name, content := range res.Files {
				mustLoad(t, name, content)
			}
			g.Expect(res.Rejected).To(HaveLen(1))
			rej := res.Rejected[0]
			g.Expect(rej.Kind).To(Equal("PrometheusRule"))
			g.Expect(rej.Namespace).To(Equal("team-b"))
			g.Expect(rej.Name).To(Equal("bad"))
			for _, s := range tc.reason {
				g.Expect(rej.Message()).To(ContainSubstring(s))
			}
			g.Expect(rej.Message()).NotTo(MatchRegexp(`^\d+:\d+:`), "line numbers of the generated file mean nothing to the user")
		})
	}
}

// TestFileSizeBoundary puts a file of exactly the limit in, then one byte
// more.
func TestFileSizeBoundary(t *testing.T) {
	g := NewWithT(t)
	withPadding := func(n int) monitoringv1.PrometheusRule {
		return promRule("team-a", "big", group("g", alert("A", "up", withAnnotation("description", strings.Repeat("x", n)))))
	}
	// The file grows byte for byte with the annotation (a plain scalar,
	// never folded), so the padding that hits the limit exactly follows
	// from one measurement.
	probe := withPadding(1)
	content, err := fromSpec(probe.Spec).marshal()
	g.Expect(err).NotTo(HaveOccurred())
	fits := MaxConfigMapDataSize - dataSize(FileName(&probe), string(content)) + 1

	exact := withPadding(fits)
	res := Generate(nil, []monitoringv1.PrometheusRule{exact})
	g.Expect(res.Rejected).To(BeEmpty())
	g.Expect(dataSize(FileName(&exact), res.Files[FileName(&exact)])).To(Equal(MaxConfigMapDataSize))
	cms, err := Pack("k8s", res.Files)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(cms).To(HaveLen(1))

	res = Generate(nil, []monitoringv1.PrometheusRule{withPadding(fits + 1)})
	g.Expect(res.Files).To(BeEmpty())
	g.Expect(res.Rejected).To(HaveLen(1))
	g.Expect(res.Rejected[0].Message()).To(ContainSubstring(fmt.Sprintf("is %d bytes", MaxConfigMapDataSize+1)))
}

func TestReasonIsBoundedAndStable(t *testing.T) {
	g := NewWithT(t)
	var rules []monitoringv1.Rule
	for i := range 15 {
		rules = append(rules, alert(fmt.Sprintf("A%02d", i), "up ==", withLabel("b", "{{"), withLabel("a", "{{")))
	}
	in := []monitoringv1.PrometheusRule{promRule("team-a", "bad", group("g", rules...))}

	first := Generate(nil, in).Rejected
	g.Expect(first).To(HaveLen(1))
	g.Expect(first[0].Message()).To(HaveSuffix("and 35 more"))
	g.Expect(strings.Count(first[0].Message(), "; ")).To(Equal(maxReasonErrors))
	// rulefmt reports labels in map order; the reason must not flap.
	for range 20 {
		g.Expect(Generate(nil, in).Rejected).To(Equal(first))
	}
}

func TestSharedFileNamesAreRejected(t *testing.T) {
	g := NewWithT(t)
	// Without UIDs, namespace a-b name c and namespace a name b-c would both
	// write a-b-c.yaml.
	r1 := promRule("a-b", "c", group("g", alert("A", "up")))
	r2 := promRule("a", "b-c", group("g", alert("A", "up")))
	r1.UID, r2.UID = "", ""
	ok := promRule("x", "y", group("g", alert("A", "up")))

	res := Generate(nil, []monitoringv1.PrometheusRule{r1, r2, ok})

	g.Expect(res.Files).To(HaveLen(1))
	g.Expect(res.Files).To(HaveKey(FileName(&ok)))
	g.Expect(res.Rejected).To(HaveLen(2))
	g.Expect(res.Rejected[0].Namespace).To(Equal("a"))
	g.Expect(res.Rejected[1].Namespace).To(Equal("a-b"))
	g.Expect(res.Rejected[0].Message()).To(ContainSubstring(`"a-b-c.yaml" is shared by 2 objects`))
}
