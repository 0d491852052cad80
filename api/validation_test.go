package api_test

import (
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

// TestSchemaRejectsInvalidObjects sends objects that break the schema to the
// API server: each must be refused, and the message must name the field, so
// a user sees what to fix at `kubectl apply` rather than in the operator's
// logs.
func TestSchemaRejectsInvalidObjects(t *testing.T) {
	for _, tc := range []struct {
		name string
		obj  string
		want []string // substrings of the API server's message
	}{{
		name: "servicemonitor without selector",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: no-selector}
spec:
  endpoints: [{port: web}]`,
		want: []string{"spec.selector", "Required value"},
	}, {
		name: "unknown scheme",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: bad-scheme}
spec:
  selector: {}
  endpoints: [{port: web, scheme: ftp}]`,
		want: []string{"spec.endpoints[0].scheme", `Unsupported value: "ftp"`},
	}, {
		name: "malformed duration",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: bad-interval}
spec:
  selector: {}
  endpoints: [{port: web, interval: 30 seconds}]`,
		want: []string{"spec.endpoints[0].interval", `Invalid value: "30 seconds"`},
	}, {
		name: "unknown relabel action",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: bad-action}
spec:
  selector: {}
  endpoints:
  - port: web
    relabelings: [{action: rewrite, targetLabel: x}]`,
		want: []string{"spec.endpoints[0].relabelings[0].action", `Unsupported value: "rewrite"`},
	}, {
		name: "misspelt field under strict validation",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: typo}
spec:
  selector: {}
  endpoints: [{port: web, intervall: 30s}]`,
		want: []string{`unknown field "spec.endpoints[0].intervall"`},
	}, {
		name: "negative sample limit",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: negative-limit}
spec:
  selector: {}
  sampleLimit: -1`,
		want: []string{"spec.sampleLimit", "Invalid value: -1"},
	}, {
		name: "tls with a client certificate but no key",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: cert-without-key}
spec:
  selector: {}
  podMetricsEndpoints:
  - port: metrics
    tlsConfig:
      cert: {secret: {name: tls, key: tls.crt}}`,
		want: []string{"spec.podMetricsEndpoints[0].tlsConfig", "keySecret"},
	}, {
		name: "pod port number out of range",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: bad-port}
spec:
  selector: {}
  podMetricsEndpoints: [{portNumber: 70000}]`,
		want: []string{"spec.podMetricsEndpoints[0].portNumber", "Invalid value: 70000"},
	}, {
		name: "negative replicas",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: negative}
spec:
  replicas: -1`,
		want: []string{"spec.replicas", "Invalid value: -1", "greater than or equal to 0"},
	}, {
		name: "reserved enforced namespace label",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: reserved-label}
spec:
  enforcedNamespaceLabel: __name__`,
		want: []string{"spec.enforcedNamespaceLabel", "reserved by Prometheus"},
	}, {
		name: "two default scrape classes",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: two-defaults}
spec:
  scrapeClasses:
  - {name: a, default: true}
  - {name: b, default: true}`,
		want: []string{"spec.scrapeClasses", "at most one scrape class may be the default"},
	}, {
		name: "duplicate scrape class names",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: duplicate-classes}
spec:
  scrapeClasses:
  - {name: a}
  - {name: a}`,
		want: []string{"spec.scrapeClasses[1]", "Duplicate value"},
	}, {
		name: "alertmanager retention malformed",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: {name: bad-retention}
spec:
  retention: 5 days`,
		want: []string{"spec.retention", `Invalid value: "5 days"`},
	}, {
		name: "rule with both record and alert",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: both}
spec:
  groups:
  - name: g
    rules: [{record: 'job:up:sum', alert: Down, expr: 'sum(up) by (job)'}]`,
		want: []string{"spec.groups[0].rules[0]", "record", "alert"},
	}, {
		name: "rule with neither record nor alert",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: neither}
spec:
  groups:
  - name: g
    rules: [{expr: 'up == 0'}]`,
		want: []string{"spec.groups[0].rules[0]", "record", "alert"},
	}, {
		name: "rule without expr",
		obj: `
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: no-expr}
spec:
  groups:
  - name: g
    rules: [{alert: Down}]`,
		want: []string{"spec.groups[0].rules[0].expr", "Required value"},
	}, {
		name: "unknown matcher type",
		obj: `
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: bad-matcher}
spec:
  route:
    receiver: 'null'
    matchers: [{name: severity, value: critical, matchType: '~'}]
  receivers: [{name: "null"}]`,
		want: []string{"spec.route.matchers[0].matchType", `Unsupported value: "~"`},
	}, {
		name: "unknown dns record type",
		obj: `
apiVersion: monitoring.coreos.com/v1alpha1
kind: ScrapeConfig
metadata: {name: bad-dns}
spec:
  dnsSDConfigs: [{names: [example.internal], type: TXT}]`,
		want: []string{"spec.dnsSDConfigs[0].type", `Unsupported value: "TXT"`},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			obj := &unstructured.Unstructured{}
			g.Expect(yaml.Unmarshal([]byte(tc.obj), &obj.Object)).To(Succeed())
			obj.SetNamespace("default")
			err := env.Client.Create(t.Context(), obj, client.FieldValidation("Strict"))
			g.Expect(err).To(HaveOccurred(), "the API server accepted an invalid object")
			t.Logf("Refused: %v", err)
			for _, want := range tc.want {
				g.Expect(err.Error()).To(ContainSubstring(want))
			}
		})
	}
}
