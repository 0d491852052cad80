package compare

import (
	"bytes"
	"strings"
	"time"

	"github.com/alecthomas/units"
	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	monitoringv1alpha1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1alpha1"

	"github.com/vigil-monitoring/vigil/hack/compat/oracle"
)

// Some differences are Prometheus Operator mishandling an input that
// Prometheus, Alertmanager or its own API reads one way: an Allowance of
// that kind rewrites the input Prometheus Operator gets into the form it
// handles, meaning the same, and the comparison then proves that Vigil's
// output for the original input equals Prometheus Operator's for the
// rewritten one. Nothing is normalised on Vigil's side.

// ForPrometheusOperator is objs with every Allowance's rewrite applied, a
// copy; objs is left as it is.
func ForPrometheusOperator(objs *oracle.Objects) *oracle.Objects {
	out := objs.DeepCopy()
	for _, a := range Allowances {
		if a.rewritePO != nil {
			a.rewritePO(out)
		}
	}
	return out
}

// expandMergeKeys writes every Secret value that uses YAML merge keys
// (<<: *anchor) with the merges done, as Prometheus's and Alertmanager's
// loaders read it. Prometheus Operator's YAML round trip of
// additionalScrapeConfigs and of the Alertmanager configuration Secret
// loses the merged values.
func expandMergeKeys(objs *oracle.Objects) {
	for _, s := range objs.Secrets {
		for k, v := range s.Data {
			if !bytes.Contains(v, []byte("<<:")) {
				continue
			}
			var doc yaml.Node
			if err := yaml.Unmarshal(v, &doc); err != nil {
				continue // not YAML; left for both sides to refuse
			}
			mergeInto(&doc)
			out, err := yaml.Marshal(&doc)
			if err != nil {
				continue
			}
			s.Data[k] = out
		}
	}
}

// mergeInto does every merge key of n in place, on the nodes, so that
// every scalar keeps its text and tag (00123 stays 00123, 1.10 stays
// 1.10): a key given explicitly wins over a merged one, and of merged
// ones the first source wins, as YAML says.
func mergeInto(n *yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			mergeInto(c)
		}
	case yaml.MappingNode:
		var own, merged []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && (k.Tag == "!!merge" || k.Value == "<<" && k.Style == 0) {
				sources := []*yaml.Node{v}
				if v.Kind == yaml.SequenceNode {
					sources = v.Content
				}
				for _, s := range sources {
					if s.Kind == yaml.AliasNode {
						s = s.Alias
					}
					if s.Kind == yaml.MappingNode {
						mergeInto(s)
						merged = append(merged, s.Content...)
					}
				}
				continue
			}
			mergeInto(v)
			own = append(own, k, v)
		}
		has := map[string]bool{}
		for i := 0; i < len(own); i += 2 {
			has[own[i].Value] = true
		}
		for i := 0; i+1 < len(merged); i += 2 {
			if !has[merged[i].Value] {
				has[merged[i].Value] = true
				own = append(own, merged[i], merged[i+1])
			}
		}
		n.Content = own
	}
}

// lowerCaseWeekdays writes weekday ranges in lower case, which
// Alertmanager reads case-insensitively; Prometheus Operator's CRD
// pattern refuses "Monday:Friday" (case-insensitive before the colon only).
func lowerCaseWeekdays(objs *oracle.Objects) {
	eachTimeInterval(objs, func(ti *monitoringv1alpha1.TimeInterval) {
		for i, w := range ti.Weekdays {
			ti.Weekdays[i] = monitoringv1alpha1.WeekdayRange(strings.ToLower(string(w)))
		}
	})
}

// closeDayOfMonthRanges gives a day-of-month range with a start and no end
// (which the CRD allows) its end: the one day, as Vigil reads it.
// Prometheus Operator reads the missing end as day 0 and refuses the object.
func closeDayOfMonthRanges(objs *oracle.Objects) {
	eachTimeInterval(objs, func(ti *monitoringv1alpha1.TimeInterval) {
		for i, d := range ti.DaysOfMonth {
			if d.Start != 0 && d.End == 0 {
				ti.DaysOfMonth[i].End = d.Start
			}
		}
	})
}

func eachTimeInterval(objs *oracle.Objects, f func(*monitoringv1alpha1.TimeInterval)) {
	for _, c := range objs.AlertmanagerConfigs {
		for i := range c.Spec.MuteTimeIntervals {
			for j := range c.Spec.MuteTimeIntervals[i].TimeIntervals {
				f(&c.Spec.MuteTimeIntervals[i].TimeIntervals[j])
			}
		}
	}
}

// goDurationTimeouts rewrites the receivers' timeouts in Prometheus
// Operator's alertmanager.yaml as Go durations, which is what
// Alertmanager reads: Prometheus Operator writes them in Prometheus's
// duration format, so that 24h becomes "1d", which Alertmanager refuses,
// with the whole file. No input avoids it, so the repair is on its output,
// and only of the timeout of each receiver's configurations.
func goDurationTimeouts(config []byte) []byte {
	var doc yaml.Node
	if err := yaml.Unmarshal(config, &doc); err != nil || len(doc.Content) == 0 {
		return config
	}
	changed := false
	for _, receiver := range mappingValues(doc.Content[0], "receivers") {
		for i := 0; i+1 < len(receiver.Content); i += 2 {
			if !strings.HasSuffix(receiver.Content[i].Value, "_configs") {
				continue
			}
			for _, c := range receiver.Content[i+1].Content {
				for j := 0; j+1 < len(c.Content); j += 2 {
					v := c.Content[j+1]
					if c.Content[j].Value != "timeout" || v.Kind != yaml.ScalarNode {
						continue
					}
					if md, err := model.ParseDuration(v.Value); err == nil && v.Value != time.Duration(md).String() {
						v.Value, changed = time.Duration(md).String(), true
					}
				}
			}
		}
	}
	if !changed {
		return config
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return config
	}
	return out
}

// mappingValues is the items of the sequence under key in mapping m.
func mappingValues(m *yaml.Node, key string) []*yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.SequenceNode {
			return m.Content[i+1].Content
		}
	}
	return nil
}

// dropTopLevelNamespaceMatchers removes the matchers on the namespace
// label from the top-level route of every AlertmanagerConfig an
// Alertmanager of the input scopes to its namespace: Prometheus Operator's
// API documents that it replaces them with the object's namespace, as
// Vigil does, but v0.93.0 keeps them beside it, so that the route never
// matches.
func dropTopLevelNamespaceMatchers(objs *oracle.Objects) {
	for _, c := range objs.AlertmanagerConfigs {
		if c.Spec.Route == nil || !scopedByAnAlertmanager(objs, c) {
			continue
		}
		ms := c.Spec.Route.Matchers[:0]
		for _, m := range c.Spec.Route.Matchers {
			if m.Name != "namespace" {
				ms = append(ms, m)
			}
		}
		c.Spec.Route.Matchers = ms
	}
}

func scopedByAnAlertmanager(objs *oracle.Objects, c *monitoringv1alpha1.AlertmanagerConfig) bool {
	for _, am := range objs.Alertmanagers {
		switch am.Spec.AlertmanagerConfigMatcherStrategy.Type {
		case monitoringv1.NoneConfigMatcherStrategyType:
		case monitoringv1.OnNamespaceExceptForAlertmanagerNamespaceConfigMatcherStrategyType:
			if c.Namespace != am.Namespace {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// dropZeroEnforcedBodySizeLimit removes an enforcedBodySizeLimit of 0,
// which enforces nothing, from the Prometheus objects.
func dropZeroEnforcedBodySizeLimit(objs *oracle.Objects) {
	for _, p := range objs.Prometheuses {
		if l := p.Spec.EnforcedBodySizeLimit; l != "" {
			if n, err := units.ParseBase2Bytes(string(l)); err == nil && n == 0 {
				p.Spec.EnforcedBodySizeLimit = ""
			}
		}
	}
}
