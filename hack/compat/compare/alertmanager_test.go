package compare

import (
	"slices"
	"strings"
	"testing"
)

// TestAlertmanagerComparison checks that two forms of the same
// alertmanager.yaml compare equal and that a change of meaning is found,
// in the section it is in.
func TestAlertmanagerComparison(t *testing.T) {
	const base = `
route:
  receiver: hook
  group_wait: 30s
  routes:
  - receiver: hook
    matchers: [namespace="a", severity="critical"]
    mute_time_intervals: [night]
inhibit_rules:
- source_matchers: [severity="critical"]
  target_matchers: [severity="warning"]
  equal: [namespace, alertname]
- source_matchers: [alertname="InfoInhibitor"]
  target_matchers: [severity="info"]
receivers:
- name: hook
  webhook_configs:
  - url: https://hook.example.com/
    http_config:
      basic_auth: {username: am, password: secret-1}
      tls_config: {ca_file: /etc/alertmanager/certs/ca.crt}
time_intervals:
- name: night
  time_intervals: [{times: [{start_time: "00:00", end_time: "06:00"}]}]
templates: [/etc/alertmanager/templates/a.tmpl]
`
	files := map[string][]byte{"/etc/alertmanager/certs/ca.crt": []byte("CA")}
	for _, tc := range []struct {
		name     string
		vigil    string
		rejected map[string]string
		want     []string
	}{
		{name: "same", vigil: base},
		{name: "the same in other forms", vigil: `
route:
  receiver: hook
  group_wait: 30s
  routes:
  - receiver: hook
    group_wait: 30s
    match: {severity: critical}
    matchers: [namespace="a"]
    mute_time_intervals: [night]
inhibit_rules:
- source_match: {alertname: InfoInhibitor}
  target_matchers: [severity="info"]
- target_matchers: [severity="warning"]
  source_matchers: [severity="critical"]
  equal: [alertname, namespace]
receivers:
- name: hook
  webhook_configs:
  - url: https://hook.example.com/
    http_config:
      basic_auth: {username: am, password: secret-1}
      tls_config: {ca: CA}
mute_time_intervals:
- name: night
  time_intervals: [{times: [{start_time: "00:00", end_time: "06:00"}]}]
templates: [/etc/alertmanager/templates/a.tmpl]
`},
		{name: "secret", vigil: replace(base, "secret-1", "secret-2"), want: []string{"receiver hook"}},
		{name: "secret URL", vigil: replace(base, "https://hook.example.com/", "https://hook.example.com/other"), want: []string{"receiver hook"}},
		{name: "CA", vigil: replace(base, "ca_file: /etc/alertmanager/certs/ca.crt", "ca: other"), want: []string{"receiver hook"}},
		{name: "inherited setting", vigil: replace(base, "  - receiver: hook\n", "  - receiver: hook\n    group_wait: 1m\n"), want: []string{"route"}},
		{name: "matcher", vigil: replace(base, `namespace="a"`, `namespace="b"`), want: []string{"route"}},
		{name: "inhibit rule", vigil: replace(base, "equal: [namespace, alertname]", "equal: [namespace]"), want: []string{"inhibit_rules"}},
		{name: "time interval", vigil: replace(base, `"06:00"`, `"07:00"`), want: []string{"time interval night"}},
		{name: "receiver on one side", vigil: replace(base, "receivers:\n", "receivers:\n- name: other\n"), want: []string{"receiver other"}},
		{name: "template", vigil: replace(base, "a.tmpl", "b.tmpl"), want: []string{"templates"}},
		{name: "global", vigil: "global: {resolve_timeout: 1m}\n" + base, want: []string{"global"}},
		{
			name: "left out", vigil: base, rejected: map[string]string{"AlertmanagerConfig a/b": "a reason"},
			want: []string{"left out: AlertmanagerConfig a/b"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diffs, err := Alertmanager(
				AlertmanagerInput{Config: []byte(tc.vigil), Files: files, Rejected: tc.rejected},
				AlertmanagerInput{Config: []byte(base), Files: files})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range diffs {
				got = append(got, d.Job)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("differences in %q, want %q:\n%v", got, tc.want, diffs)
			}
		})
	}
}

// replace replaces old, once; a test whose old is not in s finds no
// difference and fails.
func replace(s, old, new string) string { return strings.Replace(s, old, new, 1) }
