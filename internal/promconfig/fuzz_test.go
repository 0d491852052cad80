package promconfig

import (
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

var fuzzActions = []monitoringv1.RelabelAction{
	"", "replace", "Replace", "keep", "drop", "hashmod", "labelmap", "labeldrop", "labelkeep",
	"lowercase", "uppercase", "keepequal", "dropequal",
}

// FuzzServiceMonitor feeds arbitrary strings into every free-text field of
// a ServiceMonitor that reaches the configuration and checks that Generate
// never panics or fails, that Prometheus always loads the output, and that
// the output holds exactly the jobs asked for: both of the fuzzed
// monitor's, or none when it is rejected, and always the steady monitor's.
func FuzzServiceMonitor(f *testing.F) {
	seeds := []string{"*", "&a", "- x", "\n", "'", "\"", "${1}", "$(SHARD)", "{{", ":", "", "a", "(", "#",
		"job_name: x", "\xff", "a.b/c", "__address__", "- job_name: injected\n  static_configs: [{targets: [x:1]}]"}
	for i, s := range seeds {
		o := seeds[(i+1)%len(seeds)]
		f.Add(s, o, s, o, s, o, s, o, s, o, s, o, s, uint8(i))
	}
	f.Add("app", "app", "api", "(.*)", "${1}", "team", ";", "/metrics", "format", "prometheus", "app.kubernetes.io/name",
		"team,tier", "note", uint8(1))

	f.Fuzz(func(t *testing.T, label, selKey, selValue, regex, replacement, targetLabel, separator, path, paramKey,
		paramValue, jobLabel, targetLabels, annotation string, action uint8) {
		rule := monitoringv1.RelabelConfig{
			SourceLabels: []monitoringv1.LabelName{monitoringv1.LabelName(selKey), "__address__"},
			Separator:    &separator,
			TargetLabel:  targetLabel,
			Regex:        regex,
			Replacement:  &replacement,
			Action:       fuzzActions[int(action)%len(fuzzActions)],
		}
		if action >= 128 {
			rule.Modulus = uint64(action)
		}
		fuzzed := newServiceMonitor("team-a", "fuzzed", func(m *monitoringv1.ServiceMonitor) {
			m.Labels = map[string]string{"fuzz": label, label: selValue}
			m.Annotations = map[string]string{"note": annotation, annotation: label}
			m.Spec.Selector = metav1.LabelSelector{
				MatchLabels: map[string]string{selKey: selValue},
				MatchExpressions: []metav1.LabelSelectorRequirement{
					{Key: selKey, Operator: metav1.LabelSelectorOpIn, Values: []string{selValue, label}},
					{Key: label, Operator: metav1.LabelSelectorOpNotIn, Values: []string{selValue}},
					{Key: jobLabel, Operator: metav1.LabelSelectorOpExists},
				},
			}
			m.Spec.JobLabel = jobLabel
			m.Spec.TargetLabels = strings.Split(targetLabels, ",")
			m.Spec.PodTargetLabels = []string{label}
			m.Spec.Endpoints = []monitoringv1.Endpoint{
				{
					Port: "web", Path: path, Params: map[string][]string{paramKey: {paramValue}},
					RelabelConfigs:       []monitoringv1.RelabelConfig{rule},
					MetricRelabelConfigs: []monitoringv1.RelabelConfig{rule},
				},
				{TargetPort: namedPort("metrics"), Path: path, Params: map[string][]string{"module": {paramValue, paramKey}}},
			}
		})
		steady := newServiceMonitor("team-a", "steady")
		in := Input{
			Prometheus: newPrometheus(func(p *monitoringv1.Prometheus) {
				p.Spec.Shards = ptr(int32(2))
				p.Spec.EnforcedNamespaceLabel = "tenant"
			}),
			ServiceMonitors: []*monitoringv1.ServiceMonitor{fuzzed, steady},
		}
		res, err := Generate(in)
		if err != nil {
			t.Fatalf("a monitor made Generate fail: %v", err)
		}
		for _, shard := range []string{"$(SHARD)", "0"} {
			if _, err := configLoadRaw([]byte(strings.ReplaceAll(string(res.Config), "$(SHARD)", shard))); err != nil {
				t.Fatalf("Prometheus does not load the output (shard %s): %v\n%s", shard, err, res.Config)
			}
		}
		c, _ := configLoadRaw(res.Config)
		got := jobNames(c)
		want := []string{"serviceMonitor/team-a/fuzzed/0", "serviceMonitor/team-a/fuzzed/1", "serviceMonitor/team-a/steady/0"}
		switch {
		case len(res.Rejected) == 0:
		case len(res.Rejected) == 1 && res.Rejected[0].Name == "fuzzed":
			want = want[2:]
		default:
			t.Fatalf("unexpected rejections: %v", res.Rejected)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("jobs %q, want %q (rejected: %v)\n%s", got, want, res.Rejected, res.Config)
		}
	})
}
