package crdfields

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompare(t *testing.T) {
	prom := Version{Kind: "Prometheus", Name: "v1"}
	agent := Version{Kind: "PrometheusAgent", Name: "v1alpha1"}
	extra := Version{Kind: "Prometheus", Name: "v2"}
	tests := []struct {
		name      string
		po, vigil Schemas
		want      []Diff
	}{{
		name:  "same fields",
		po:    Schemas{prom: {{"spec", "object"}, {"spec.replicas", "integer"}}},
		vigil: Schemas{prom: {{"spec", "object"}, {"spec.replicas", "integer"}}},
		want:  []Diff{{Version: prom, InPO: true, InVigil: true, POFields: 2, VigilFields: 2}},
	}, {
		name: "unserved, extra and mismatched fields",
		po: Schemas{prom: {
			{"spec", "object"}, {"spec.port", "int-or-string"}, {"spec.thanos", "object"}, {"spec.thanos.image", "string"},
		}},
		vigil: Schemas{prom: {{"spec", "object"}, {"spec.port", "string"}, {"spec.vigilOnly", "boolean"}}},
		want: []Diff{{
			Version: prom, InPO: true, InVigil: true, POFields: 4, VigilFields: 3,
			Unserved:   []Field{{"spec.thanos", "object"}, {"spec.thanos.image", "string"}},
			Extra:      []Field{{"spec.vigilOnly", "boolean"}},
			Mismatches: []Mismatch{{Path: "spec.port", PO: "int-or-string", Vigil: "string"}},
		}},
	}, {
		name:  "versions only one side serves, sorted",
		po:    Schemas{agent: {{"spec", "object"}}, prom: {{"spec", "object"}}},
		vigil: Schemas{extra: {{"spec", "object"}}, prom: {{"spec", "object"}}},
		want: []Diff{
			{Version: prom, InPO: true, InVigil: true, POFields: 1, VigilFields: 1},
			{Version: extra, InVigil: true, VigilFields: 1, Extra: []Field{{"spec", "object"}}},
			{Version: agent, InPO: true, POFields: 1, Unserved: []Field{{"spec", "object"}}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Compare(tt.po, tt.vigil)); diff != "" {
				t.Errorf("Compare() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSubtrees(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  []Subtree
	}{{
		name: "none",
		want: nil,
	}, {
		name:  "leaves",
		paths: []string{"spec.a", "spec.b"},
		want:  []Subtree{{Path: "spec.a"}, {Path: "spec.b"}},
	}, {
		name:  "objects, arrays and maps fold",
		paths: []string{"spec.a", "spec.a.b", "spec.a.b[]", "spec.a.b[].c", "spec.a.d{}", "spec.e"},
		want:  []Subtree{{Path: "spec.a", Below: 4}, {Path: "spec.e"}},
	}, {
		name:  "a name prefix is not a parent",
		paths: []string{"spec.tls", "spec.tls.ca", "spec.tlsConfig", "spec.tlsConfig.ca"},
		want:  []Subtree{{Path: "spec.tls", Below: 1}, {Path: "spec.tlsConfig", Below: 1}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields := make([]Field, len(tt.paths))
			for i, p := range tt.paths {
				fields[i] = Field{Path: p, Type: "object"}
			}
			if diff := cmp.Diff(tt.want, Subtrees(fields)); diff != "" {
				t.Errorf("Subtrees() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParse(t *testing.T) {
	const crds = `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: probes.monitoring.coreos.com}
spec:
  group: monitoring.coreos.com
  names: {kind: Probe, plural: probes}
  versions:
  - name: v1
    served: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {interval: {type: string}}}
  - name: v0
    served: false
    schema:
      openAPIV3Schema: {type: object}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: prometheusrules.monitoring.coreos.com}
spec:
  group: monitoring.coreos.com
  names: {kind: PrometheusRule, plural: prometheusrules}
  versions:
  - name: v1
    served: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object}
`
	got, err := Parse(strings.NewReader(crds))
	if err != nil {
		t.Fatalf("Parse() error: %v", err)
	}
	want := Schemas{
		{Kind: "Probe", Name: "v1"}:          {{"spec", "object"}, {"spec.interval", "string"}},
		{Kind: "PrometheusRule", Name: "v1"}: {{"spec", "object"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse() mismatch (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	const probe = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
spec:
  names: {kind: Probe}
  versions:
  - name: v1
    served: true
    schema: {openAPIV3Schema: {type: object}}
`
	tests := []struct {
		name    string
		yaml    string
		wantErr string
	}{{
		name:    "not a CRD",
		yaml:    "apiVersion: v1\nkind: ConfigMap\n",
		wantErr: `a "ConfigMap" document`,
	}, {
		name:    "version twice",
		yaml:    probe + "---\n" + probe,
		wantErr: "Probe/v1 is defined twice",
	}, {
		name:    "no schema",
		yaml:    "kind: CustomResourceDefinition\nspec: {names: {kind: Probe}, versions: [{name: v1, served: true}]}\n",
		wantErr: "Probe/v1 has no openAPIV3Schema",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse() error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
