package crdfields

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

func TestWalk(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		want   []Field
	}{{
		name:   "no properties",
		schema: `type: object`,
		want:   nil,
	}, {
		name: "scalars",
		schema: `
type: object
properties:
  name: {type: string}
  replicas: {type: integer, format: int32}
  ratio: {type: number}
  paused: {type: boolean}`,
		want: []Field{
			{"name", "string"}, {"paused", "boolean"}, {"ratio", "number"}, {"replicas", "integer"},
		},
	}, {
		name: "nested objects",
		schema: `
type: object
properties:
  spec:
    type: object
    properties:
      tls:
        type: object
        properties:
          ca: {type: string}`,
		want: []Field{{"spec", "object"}, {"spec.tls", "object"}, {"spec.tls.ca", "string"}},
	}, {
		name: "array of objects",
		schema: `
type: object
properties:
  endpoints:
    type: array
    items:
      type: object
      properties:
        port: {type: string}`,
		want: []Field{{"endpoints", "array"}, {"endpoints[]", "object"}, {"endpoints[].port", "string"}},
	}, {
		name: "array of arrays",
		schema: `
type: object
properties:
  matrix: {type: array, items: {type: array, items: {type: integer}}}`,
		want: []Field{{"matrix", "array"}, {"matrix[]", "array"}, {"matrix[][]", "integer"}},
	}, {
		name: "maps",
		schema: `
type: object
properties:
  labels: {type: object, additionalProperties: {type: string}}
  limits:
    type: object
    additionalProperties:
      type: object
      properties:
        value: {type: integer}
  anything: {type: object, additionalProperties: true}`,
		want: []Field{
			{"anything", "object"}, {"anything{}", "any"},
			{"labels", "object"}, {"labels{}", "string"},
			{"limits", "object"}, {"limits{}", "object"}, {"limits{}.value", "integer"},
		},
	}, {
		name: "markers",
		schema: `
type: object
properties:
  port:
    x-kubernetes-int-or-string: true
    anyOf: [{type: integer}, {type: string}]
  raw: {x-kubernetes-preserve-unknown-fields: true}
  loose: {type: object, x-kubernetes-preserve-unknown-fields: true}
  object: {type: object, x-kubernetes-embedded-resource: true}`,
		want: []Field{
			{"loose", "object, preserve-unknown-fields"},
			{"object", "object, embedded-resource"},
			{"port", "int-or-string"},
			{"raw", "any"},
		},
	}, {
		name: "validation-only schemas add no paths",
		schema: `
type: object
properties:
  a: {type: string}
anyOf:
- properties: {b: {type: string}}
oneOf:
- properties: {c: {type: string}}
allOf:
- properties: {d: {type: string}}`,
		want: []Field{{"a", "string"}},
	}, {
		name: "children follow their parent",
		schema: `
type: object
properties:
  tlsConfig: {type: string}
  tls-x: {type: string}
  tls:
    type: array
    items:
      type: object
      properties:
        ca: {type: string}`,
		want: []Field{
			{"tls", "array"}, {"tls[]", "object"}, {"tls[].ca", "string"},
			{"tls-x", "string"}, {"tlsConfig", "string"},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var schema apiextv1.JSONSchemaProps
			if err := yaml.UnmarshalStrict([]byte(tt.schema), &schema); err != nil {
				t.Fatalf("Decoding the schema: %v", err)
			}
			if diff := cmp.Diff(tt.want, Walk(&schema)); diff != "" {
				t.Errorf("Walk() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
