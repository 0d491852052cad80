package rules

import (
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// Test objects are built with small functional options, cert-manager style.

func promRule(ns, name string, groups ...monitoringv1.RuleGroup) monitoringv1.PrometheusRule {
	return monitoringv1.PrometheusRule{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID("uid-" + ns + "-" + name)},
		Spec:       monitoringv1.PrometheusRuleSpec{Groups: groups},
	}
}

func group(name string, rules ...monitoringv1.Rule) monitoringv1.RuleGroup {
	return monitoringv1.RuleGroup{Name: name, Rules: rules}
}

type ruleOpt func(*monitoringv1.Rule)

func alert(name, expr string, opts ...ruleOpt) monitoringv1.Rule {
	r := monitoringv1.Rule{Alert: name, Expr: intstr.FromString(expr)}
	for _, o := range opts {
		o(&r)
	}
	return r
}

func record(name, expr string, opts ...ruleOpt) monitoringv1.Rule {
	r := monitoringv1.Rule{Record: name, Expr: intstr.FromString(expr)}
	for _, o := range opts {
		o(&r)
	}
	return r
}

func withLabel(k, v string) ruleOpt {
	return func(r *monitoringv1.Rule) {
		if r.Labels == nil {
			r.Labels = map[string]string{}
		}
		r.Labels[k] = v
	}
}

func withAnnotation(k, v string) ruleOpt {
	return func(r *monitoringv1.Rule) {
		if r.Annotations == nil {
			r.Annotations = map[string]string{}
		}
		r.Annotations[k] = v
	}
}

func withFor(d string) ruleOpt {
	return func(r *monitoringv1.Rule) {
		dur := monitoringv1.Duration(d)
		r.For = &dur
	}
}

func enforcing(label string, excluded ...monitoringv1.ObjectReference) *monitoringv1.Prometheus {
	p := &monitoringv1.Prometheus{ObjectMeta: metav1.ObjectMeta{Namespace: "monitoring", Name: "k8s"}}
	p.Spec.EnforcedNamespaceLabel = label
	p.Spec.ExcludedFromEnforcement = excluded
	return p
}

// mustLoad loads content with Prometheus's rule-file parser and fails the
// test on any error.
func mustLoad(t testing.TB, name, content string) *rulefmt.RuleGroups {
	t.Helper()
	groups, errs := rulefmt.Parse([]byte(content), false, model.UTF8Validation, parser.NewParser(parser.Options{}), discard)
	if len(errs) > 0 {
		t.Fatalf("%s does not load: %v\n%s", name, errs, content)
	}
	return groups
}
