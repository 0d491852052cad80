package promconfig

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/selection"
)

// sanitize turns a Kubernetes label key into the suffix Prometheus's
// Kubernetes discovery gives it in meta labels: each character but
// [a-zA-Z0-9_] becomes "_" (each byte, in invalid UTF-8).
func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return r
		}
		return '_'
	}, name)
}

func ptr[T any](v T) *T { return &v }

// copyLabel is a rule that copies one label into another.
func copyLabel(source, target string) *RelabelConfig {
	return &RelabelConfig{SourceLabels: []string{source}, TargetLabel: target}
}

// copyLabelIfSet copies source into target when source is not empty.
func copyLabelIfSet(source, target string) *RelabelConfig {
	return &RelabelConfig{SourceLabels: []string{source}, TargetLabel: target, Regex: "(.+)", Replacement: ptr("${1}")}
}

func keep(source, regex string) *RelabelConfig {
	return &RelabelConfig{Action: "keep", SourceLabels: []string{source}, Regex: regex}
}

// jobNameRule keeps the job name for scrape classes and debugging, as
// Prometheus Operator's first rule does.
func jobNameRule() *RelabelConfig { return copyLabel("job", "__tmp_prometheus_job_name") }

// runningFilter drops targets of pods that have finished.
func runningFilter() *RelabelConfig {
	return &RelabelConfig{Action: "drop", SourceLabels: []string{"__meta_kubernetes_pod_phase"}, Regex: "(Failed|Succeeded)"}
}

// selectorRules filters targets by a label selector on the labels that meta
// prefix names (__meta_kubernetes_service or __meta_kubernetes_pod). Keys
// of matchLabels are taken in sorted order so the output is stable. Values
// go into the regex unquoted, as Prometheus Operator writes them, so the
// rules stay identical to its own (kube-prometheus selects on version
// 0.93.1); a "." in a value thus also matches any one character.
func selectorRules(prefix string, sel metav1.LabelSelector) []*RelabelConfig {
	var out []*RelabelConfig
	keys := make([]string, 0, len(sel.MatchLabels))
	for k := range sel.MatchLabels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	labelAndPresent := func(key string) []string {
		return []string{prefix + "_label_" + sanitize(key), prefix + "_labelpresent_" + sanitize(key)}
	}
	for _, k := range keys {
		out = append(out, &RelabelConfig{Action: "keep", SourceLabels: labelAndPresent(k), Regex: fmt.Sprintf("(%s);true", sel.MatchLabels[k])})
	}
	for _, exp := range sel.MatchExpressions {
		present := []string{prefix + "_labelpresent_" + sanitize(exp.Key)}
		switch exp.Operator {
		case metav1.LabelSelectorOpIn:
			out = append(out, &RelabelConfig{Action: "keep", SourceLabels: labelAndPresent(exp.Key), Regex: fmt.Sprintf("(%s);true", strings.Join(exp.Values, "|"))})
		case metav1.LabelSelectorOpNotIn:
			out = append(out, &RelabelConfig{Action: "drop", SourceLabels: labelAndPresent(exp.Key), Regex: fmt.Sprintf("(%s);true", strings.Join(exp.Values, "|"))})
		case metav1.LabelSelectorOpExists:
			out = append(out, &RelabelConfig{Action: "keep", SourceLabels: present, Regex: "true"})
		case metav1.LabelSelectorOpDoesNotExist:
			out = append(out, &RelabelConfig{Action: "drop", SourceLabels: present, Regex: "true"})
		}
	}
	return out
}

// checkSelector refuses a selector Kubernetes would not accept (an unknown
// operator, In without values): as relabel rules it would select more than
// the user meant.
func checkSelector(field string, sel metav1.LabelSelector) error {
	if _, err := selection.AsSelector(&sel); err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	return nil
}

// byRole says whether a monitor selects its Services or Pods through
// Kubernetes discovery (selectorMechanism: RoleSelector) rather than with
// relabel rules; it is one or the other, never both.
func byRole(m *monitoringv1.SelectorMechanism) bool {
	return m != nil && *m == monitoringv1.SelectorMechanismRole
}

// roleSelectors passes a label selector to Kubernetes discovery, once for
// each role the discovery lists. It is written even when the selector is
// empty (label ""), as Prometheus Operator writes it
// (pkg/prometheus/promcfg.go:2565-2589).
func roleSelectors(sel metav1.LabelSelector, roles ...string) ([]KubernetesSDSelector, error) {
	s, err := selection.AsSelector(&sel)
	if err != nil {
		return nil, fmt.Errorf("selector: %w", err)
	}
	out := make([]KubernetesSDSelector, 0, len(roles))
	for _, r := range roles {
		out = append(out, KubernetesSDSelector{Role: r, Label: ptr(s.String())})
	}
	return out, nil
}

// userRules converts relabel rules written in a custom resource, and adds
// the enforced namespace label after them when one applies.
func userRules(rules []monitoringv1.RelabelConfig, enforcedLabel, namespace string) []*RelabelConfig {
	out := make([]*RelabelConfig, 0, len(rules)+1)
	for _, r := range rules {
		c := &RelabelConfig{
			Action:      strings.ToLower(string(r.Action)),
			Separator:   r.Separator,
			TargetLabel: r.TargetLabel,
			Regex:       r.Regex,
			Modulus:     r.Modulus,
			Replacement: r.Replacement,
		}
		for _, l := range r.SourceLabels {
			c.SourceLabels = append(c.SourceLabels, string(l))
		}
		out = append(out, c)
	}
	if enforcedLabel != "" {
		out = append(out, &RelabelConfig{TargetLabel: enforcedLabel, Replacement: ptr(namespace)})
	}
	return out
}

// shardingRules keep only the targets of the pod's shard. $(SHARD) is set by
// the config reloader. The first two rules drop everything on a shard that
// is being retired (its number is past the current count); then the target
// is hashed on hashSource unless a relabel rule already set __tmp_hash, and
// a non-empty __tmp_disable_sharding makes every shard scrape it.
func shardingRules(shards int32, hashSource string) []*RelabelConfig {
	active := make([]string, shards)
	for i := range active {
		active[i] = strconv.Itoa(i)
	}
	return []*RelabelConfig{
		{Action: "replace", TargetLabel: "__tmp_current_shard", Replacement: ptr("$(SHARD)")},
		{Action: "keep", SourceLabels: []string{"__tmp_current_shard"}, Regex: strings.Join(active, "|")},
		{Action: "replace", SourceLabels: []string{hashSource, "__tmp_hash"}, TargetLabel: "__tmp_hash", Regex: "(.+);", Replacement: ptr("$1")},
		{Action: "hashmod", SourceLabels: []string{"__tmp_hash"}, TargetLabel: "__tmp_hash", Modulus: uint64(shards)},
		{Action: "keep", SourceLabels: []string{"__tmp_hash", "__tmp_disable_sharding"}, Regex: "$(SHARD);|.+;.+"},
	}
}

// shardingRulesIfMissing adds the sharding rules to a job whose relabel
// rules are the user's to write (a ScrapeConfig): only with more than one
// shard, and only when no rule already has action hashmod, since such a job
// shards itself. Prometheus Operator does the same
// (pkg/prometheus/promcfg.go:5069-5071 and 2278-2288).
func shardingRulesIfMissing(rules []*RelabelConfig, shards int32) []*RelabelConfig {
	if shards <= 1 {
		return rules
	}
	for _, r := range rules {
		if r.Action == "hashmod" {
			return rules
		}
	}
	return append(rules, shardingRules(shards, "__address__")...)
}
