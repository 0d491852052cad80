package rules

import (
	"maps"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// FuzzGenerate feeds arbitrary text into the places users write text: group
// names, rule labels, annotations and the expression. Whatever comes in,
// Generate must not panic, and each object either comes out as a file that
// Prometheus loads and reads back exactly as written (so no text escaped
// its YAML string), or is rejected with a reason.
func FuzzGenerate(f *testing.F) {
	for _, seed := range []struct {
		group, labelName, labelValue, annotationName, annotationValue, expr string
		enforce                                                             bool
	}{
		{"g", "severity", "warning", "summary", "{{ $labels.job }} is down", "up == 0", false},
		{"g", "namespace", "other", "description", "{{ $value | humanize }}%", `sum by (job) (rate(x{namespace="b"}[5m])) > 0`, true},
		{"g: x\n- name: y", "a", "b: c", "d", "'\"\n  e: f", "up", false},
		{"---", "#", "&anchor", "*alias", "!!binary AAAA", "vector(1)", true},
		{"", "", "", "", "", "", false},
		{"\xff", "l\xfe", "\x00", "\u0085", "\ufeff", "up{", true},
		{"g", "__name__", "x", "summary", "{{", `{__name__=~".+"}`, true},
		{"g", "le", "\t", "runbook", "%TAG ! tag:", `absent(up{job="x"}) @ 100 offset 5m`, true},
		{"g", "ünïcödé", "値", "注釈", "{{ .Labels.x }}", `{"utf8.metric"}`, true},
	} {
		f.Add(seed.group, seed.labelName, seed.labelValue, seed.annotationName, seed.annotationValue, seed.expr, seed.enforce)
	}
	// Expressions that exercise the printer after the matcher is injected.
	for _, expr := range []string{
		`histogram_quantile(0.99, sum by (le, job) (rate(x_bucket{job=~"a|b"}[5m])))`,
		`-x ^ 2 + (a - b) * c > bool 1`,
		`a and on (job) b or ignoring (instance) group_right (x) c`,
		`max_over_time(deriv(x[5m:30s] offset -1m)[1h:] @ end())`,
		`quantile_over_time(0.9, x[5m] @ start())`,
		`count_values without (a) ("v", x) / scalar(y)`,
		`label_join(time() - x, "a", ",", "b", "c")`,
		`sum(x) by (job)`,
		`{"a.b", "c d"="e"} offset 1h`,
	} {
		f.Add("g", "severity", "page", "summary", "s", expr, true)
	}

	f.Fuzz(func(t *testing.T, groupName, labelName, labelValue, annotationName, annotationValue, expr string, enforce bool) {
		const ns = "team-a"
		in := promRule(ns, "r", group(groupName,
			alert("A", expr, withLabel(labelName, labelValue), withAnnotation(annotationName, annotationValue)),
			record("r:x", expr, withLabel(labelName, labelValue)),
		))
		var p *monitoringv1.Prometheus
		if enforce {
			p = enforcing("namespace")
		}

		res := Generate(p, []monitoringv1.PrometheusRule{in})

		content, ok := res.Files[FileName(&in)]
		switch {
		case ok && len(res.Rejected) == 0:
		case !ok && len(res.Rejected) == 1 && res.Rejected[0].Message() != "":
			// Injecting the matcher and printing the expression back must
			// not turn an object Prometheus would load into one it would
			// not.
			if enforce && len(Generate(nil, []monitoringv1.PrometheusRule{in}).Rejected) == 0 {
				t.Fatalf("accepted as written, rejected once the namespace label is enforced: %s", res.Rejected[0].Message())
			}
			return
		default:
			t.Fatalf("want a file or one rejection with a reason, got files %v, rejected %+v", res.Files, res.Rejected)
		}

		groups, errs := rulefmt.Parse([]byte(content), false, model.UTF8Validation, parser.NewParser(parser.Options{}), discard)
		if len(errs) > 0 {
			t.Fatalf("accepted file does not load: %v\n%s", errs, content)
		}
		if len(groups.Groups) != 1 || len(groups.Groups[0].Rules) != 2 {
			t.Fatalf("want 1 group of 2 rules, got %+v\n%s", groups, content)
		}
		g := groups.Groups[0]
		if g.Name != groupName {
			t.Fatalf("group name %q came back as %q", groupName, g.Name)
		}
		wantLabels := map[string]string{labelName: labelValue}
		if enforce {
			wantLabels["namespace"] = ns
		}
		for _, r := range g.Rules {
			if !maps.Equal(r.Labels, wantLabels) {
				t.Fatalf("labels %v came back as %v\n%s", wantLabels, r.Labels, content)
			}
			if !enforce && r.Expr != expr {
				t.Fatalf("expression %q came back as %q", expr, r.Expr)
			}
		}
		if want := map[string]string{annotationName: annotationValue}; !maps.Equal(g.Rules[0].Annotations, want) {
			t.Fatalf("annotations %v came back as %v\n%s", want, g.Rules[0].Annotations, content)
		}
	})
}
