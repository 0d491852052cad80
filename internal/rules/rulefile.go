package rules

import (
	"bytes"
	"fmt"
	"maps"
	"strconv"

	yaml "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/intstr"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// ruleFile is a Prometheus rule file. The structs mirror rulefmt's, with the
// fields of a group in an order people read well (labels before a long list
// of rules); Prometheus does not care about the order.
type ruleFile struct {
	Groups []ruleGroup `yaml:"groups"`
}

type ruleGroup struct {
	Name        string            `yaml:"name"`
	Interval    string            `yaml:"interval,omitempty"`
	QueryOffset string            `yaml:"query_offset,omitempty"`
	Limit       *int32            `yaml:"limit,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	// Rules is always written, as an empty list when there are none, so a
	// group without rules still reads as a group.
	Rules []rule `yaml:"rules"`
}

type rule struct {
	Record        string            `yaml:"record,omitempty"`
	Alert         string            `yaml:"alert,omitempty"`
	Expr          string            `yaml:"expr"`
	For           string            `yaml:"for,omitempty"`
	KeepFiringFor string            `yaml:"keep_firing_for,omitempty"`
	Labels        map[string]string `yaml:"labels,omitempty"`
	Annotations   map[string]string `yaml:"annotations,omitempty"`
}

// FileName is the name of the rule file of a PrometheusRule. The UID keeps
// namespace "a-b" name "c" and namespace "a" name "b-c" apart. Objects read
// from manifests (vigilctl) have no UID and get <namespace>-<name>.yaml.
func FileName(r *monitoringv1.PrometheusRule) string {
	if r.UID == "" {
		return fmt.Sprintf("%s-%s.yaml", r.Namespace, r.Name)
	}
	return fmt.Sprintf("%s-%s-%s.yaml", r.Namespace, r.Name, r.UID)
}

// fromSpec converts the API's rule groups into a rule file; maps are copied
// so that enforcing the namespace label never writes into the caller's
// object. Fields that only Thanos Ruler reads (partial_response_strategy) are
// dropped: Prometheus refuses unknown fields in rule files. Empty durations
// are dropped, so the Prometheus defaults apply.
func fromSpec(spec monitoringv1.PrometheusRuleSpec) ruleFile {
	f := ruleFile{Groups: make([]ruleGroup, 0, len(spec.Groups))}
	for _, g := range spec.Groups {
		out := ruleGroup{
			Name:        g.Name,
			Interval:    durationString(g.Interval),
			QueryOffset: durationString(g.QueryOffset),
			Limit:       g.Limit,
			Labels:      maps.Clone(g.Labels),
			Rules:       make([]rule, 0, len(g.Rules)),
		}
		for _, r := range g.Rules {
			out.Rules = append(out.Rules, rule{
				Record:        r.Record,
				Alert:         r.Alert,
				Expr:          exprString(r.Expr),
				For:           durationString(r.For),
				KeepFiringFor: durationString((*monitoringv1.Duration)(r.KeepFiringFor)),
				Labels:        maps.Clone(r.Labels),
				Annotations:   maps.Clone(r.Annotations),
			})
		}
		f.Groups = append(f.Groups, out)
	}
	return f
}

// exprString is the PromQL text of an expr; an integer is the expression it
// spells, such as 1 for an alert that always fires.
func exprString(e intstr.IntOrString) string {
	if e.Type == intstr.Int {
		return strconv.Itoa(int(e.IntVal))
	}
	return e.StrVal
}

func durationString(d *monitoringv1.Duration) string {
	if d == nil {
		return ""
	}
	return string(*d)
}

// marshal writes the file with a two-space indent and list items level with
// their key, as Prometheus Operator's files and most hand-written rule files
// look. The encoder sorts map keys, so the bytes are stable.
func (f ruleFile) marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("encoding rule file: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding rule file: %w", err)
	}
	return buf.Bytes(), nil
}
