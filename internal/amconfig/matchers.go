package amconfig

import (
	"fmt"

	"github.com/prometheus/alertmanager/matcher/parse"
	"github.com/prometheus/alertmanager/pkg/labels"
	"github.com/prometheus/common/model"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// namespaceLabel is the alert label AlertmanagerConfigs are scoped by.
const namespaceLabel = "namespace"

var matchTypes = map[monitoringv1alpha1.MatchType]labels.MatchType{
	monitoringv1alpha1.MatchEqual:     labels.MatchEqual,
	monitoringv1alpha1.MatchNotEqual:  labels.MatchNotEqual,
	monitoringv1alpha1.MatchRegexp:    labels.MatchRegexp,
	monitoringv1alpha1.MatchNotRegexp: labels.MatchNotRegexp,
}

// matcherParsers are the parsers an Alertmanager may read matchers with,
// depending on its feature flags: the classic one (what config.Load uses
// when called as a library), and the UTF-8 one (its default, with the
// classic one as a fallback).
var matcherParsers = []func(string) (*labels.Matcher, error){
	labels.ParseMatcher,
	parse.Matcher,
}

// convertMatchers renders CRD matchers in the `matchers:` string form.
func convertMatchers(in []monitoringv1alpha1.Matcher) ([]string, error) {
	var out []string
	for i, m := range in {
		t := monitoringv1alpha1.MatchEqual
		if m.Regex {
			t = monitoringv1alpha1.MatchRegexp
		}
		if m.MatchType != "" {
			t = m.MatchType
		}
		s, err := renderMatcher(m.Name, t, m.Value)
		if err != nil {
			return nil, fmt.Errorf("matchers[%d]: %w", i, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// renderMatcher writes one matcher and checks that every parser Alertmanager
// may run with reads it back unchanged, so the object is refused here
// rather than matching something else, or nothing, in Alertmanager.
func renderMatcher(name string, t monitoringv1alpha1.MatchType, value string) (string, error) {
	mt, ok := matchTypes[t]
	if !ok {
		return "", fmt.Errorf("unknown matchType %q", t)
	}
	// Alertmanager's classic parser, and config.Load as a library, only
	// know these names; a UTF-8 name would load in some modes only.
	if !model.LegacyValidation.IsValidLabelName(name) {
		return "", fmt.Errorf("label name %q is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)", name)
	}
	m, err := labels.NewMatcher(mt, name, value)
	if err != nil {
		return "", fmt.Errorf("label %q: invalid regular expression: %w", name, err)
	}
	s := m.String()
	for _, parse := range matcherParsers {
		got, err := parse(s)
		if err != nil || got.Type != m.Type || got.Name != m.Name || got.Value != m.Value {
			return "", fmt.Errorf("label %q: the value cannot be written so that Alertmanager reads it back unchanged", name)
		}
	}
	return s, nil
}

// checkLabelNames refuses names Alertmanager's loader would refuse, with a
// message that says which field holds them.
func checkLabelNames(names []string) error {
	for _, n := range names {
		if !model.LegacyValidation.IsValidLabelName(n) {
			return fmt.Errorf("%q is not a valid label name", n)
		}
	}
	return nil
}

// scopeFuncs says, for each alertmanagerConfigMatcherStrategy, whether an
// AlertmanagerConfig in objNamespace is limited to its namespace's alerts.
var scopeFuncs = map[monitoringv1.AlertmanagerConfigMatcherStrategyType]func(amNamespace, objNamespace string) bool{
	"": onNamespace,
	monitoringv1.OnNamespaceConfigMatcherStrategyType: onNamespace,
	monitoringv1.OnNamespaceExceptForAlertmanagerNamespaceConfigMatcherStrategyType: func(amNamespace, objNamespace string) bool {
		return amNamespace != objNamespace
	},
	monitoringv1.NoneConfigMatcherStrategyType: func(string, string) bool { return false },
}

func onNamespace(string, string) bool { return true }

// scopeFor returns the Alertmanager's scoping rule.
func scopeFor(am *monitoringv1.Alertmanager) (func(objNamespace string) bool, error) {
	var t monitoringv1.AlertmanagerConfigMatcherStrategyType
	if s := am.Spec.AlertmanagerConfigMatcherStrategy; s != nil {
		t = s.Type
	}
	f, ok := scopeFuncs[t]
	if !ok {
		return nil, fmt.Errorf("unknown alertmanagerConfigMatcherStrategy type %q", t)
	}
	return func(objNamespace string) bool { return f(am.Namespace, objNamespace) }, nil
}

// namespaceMatcher is the matcher that limits an object to its namespace.
func namespaceMatcher(namespace string) (string, error) {
	return renderMatcher(namespaceLabel, monitoringv1alpha1.MatchEqual, namespace)
}
