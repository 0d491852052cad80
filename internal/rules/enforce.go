package rules

import (
	"fmt"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// prometheusRulesResource is how excludedFromEnforcement names
// PrometheusRules.
const prometheusRulesResource = "prometheusrules"

// enforcement is a Prometheus object's enforcedNamespaceLabel and the objects
// exempt from it. The zero value enforces nothing.
type enforcement struct {
	label    string
	excluded []monitoringv1.ObjectReference
}

func enforcementFor(p *monitoringv1.Prometheus) enforcement {
	if p == nil {
		return enforcement{}
	}
	return enforcement{
		label:    p.Spec.EnforcedNamespaceLabel,
		excluded: p.Spec.ExcludedFromEnforcement,
	}
}

// appliesTo reports whether the label is enforced on the PrometheusRule
// namespace/name. A reference without a name exempts every PrometheusRule of
// its namespace; references to other resources do not count.
func (e enforcement) appliesTo(namespace, name string) bool {
	if e.label == "" {
		return false
	}
	for _, ref := range e.excluded {
		if ref.Resource != prometheusRulesResource || ref.Namespace != namespace {
			continue
		}
		// The API server defaults the group; an object built in Go may not
		// have it.
		if ref.Group != "" && ref.Group != monitoringv1.GroupVersion.Group {
			continue
		}
		if ref.Name == "" || ref.Name == name {
			return false
		}
	}
	return true
}

// enforce gives every rule of f the label <label>: <namespace> and makes
// every selector of every expression match only that namespace, so that a
// tenant's rules neither read nor write another tenant's series. It returns
// one error per expression that does not parse; those rules are left as
// they were, and the caller rejects the object.
func (e enforcement) enforce(f *ruleFile, namespace string, p parser.Parser) []error {
	var errs []error
	for gi := range f.Groups {
		g := &f.Groups[gi]
		for ri := range g.Rules {
			r := &g.Rules[ri]
			expr, err := injectMatcher(p, r.Expr, e.label, namespace)
			if err != nil {
				errs = append(errs, ruleError(g.Name, ri, r, err))
				continue
			}
			r.Expr = expr
			if r.Labels == nil {
				r.Labels = make(map[string]string, 1)
			}
			// A rule's own labels win over the group's, so this also
			// overrides the label set on the group.
			r.Labels[e.label] = namespace
		}
	}
	return errs
}

// injectMatcher returns expr with the matcher name="value" on every vector
// selector (range selectors and subqueries included), replacing any matcher
// the selector already had on that label, printed back as Prometheus prints
// an expression. Prometheus Operator does the same through prom-label-proxy;
// walking the AST with Prometheus's own parser keeps the result identical
// without the dependency.
func injectMatcher(p parser.Parser, expr, name, value string) (string, error) {
	node, err := p.ParseExpr(expr)
	if err != nil {
		return "", fmt.Errorf("could not parse expression: %w", err)
	}
	parser.Inspect(node, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		matchers := make([]*labels.Matcher, 0, len(vs.LabelMatchers)+1)
		for _, m := range vs.LabelMatchers {
			if m.Name != name {
				matchers = append(matchers, m)
			}
		}
		vs.LabelMatchers = append(matchers, &labels.Matcher{Type: labels.MatchEqual, Name: name, Value: value})
		return nil
	})
	return node.String(), nil
}

// ruleError says which rule an error is about, in the words rulefmt uses
// (group, 1-based rule number, rule name), so reasons read the same whether
// Vigil or Prometheus's parser found the problem.
func ruleError(group string, index int, r *rule, err error) error {
	name := r.Alert
	if name == "" {
		name = r.Record
	}
	return fmt.Errorf("group %q, rule %d, %q: %w", group, index+1, name, err)
}
