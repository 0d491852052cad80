package crdfields

import (
	"slices"
	"strings"

	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

// Field is one path of a CRD schema and the type the API server accepts there.
type Field struct {
	// Path is dot-separated from the object's root, such as
	// "spec.endpoints[].port"; "[]" is an array's items, "{}" a map's values.
	Path string
	// Type is the schema's type ("string", "integer", "number", "boolean",
	// "array", "object"), "int-or-string", or "any" when the schema has no
	// type and keeps unknown fields. Markers that change what is accepted
	// follow after a comma, such as "object, preserve-unknown-fields".
	Type string
}

// Walk returns every field path below schema in tree order (see
// ComparePaths); the root itself has no path. allOf, anyOf, oneOf and not are
// not walked: a structural schema must declare every field in properties,
// items or additionalProperties, so they add validation but no paths.
func Walk(schema *apiextv1.JSONSchemaProps) []Field {
	var fields []Field
	walk(schema, "", &fields)
	slices.SortFunc(fields, func(a, b Field) int { return ComparePaths(a.Path, b.Path) })
	return fields
}

// ComparePaths orders paths alphabetically segment by segment, so that every
// path comes right after its parent and before its parent's next sibling:
// "tls", "tls.ca", "tls[]", "tlsConfig". Plain string order would put
// "tlsConfig" between "tls.ca" and "tls[]".
func ComparePaths(a, b string) int {
	return strings.Compare(pathKey.Replace(a), pathKey.Replace(b))
}

// pathKey turns separators into bytes below any character of a field name.
var pathKey = strings.NewReplacer(".", "\x01", "[]", "\x02", "{}", "\x03")

func walk(s *apiextv1.JSONSchemaProps, path string, out *[]Field) {
	for name, prop := range s.Properties {
		child := name
		if path != "" {
			child = path + "." + name
		}
		visit(&prop, child, out)
	}
	if s.Items != nil && s.Items.Schema != nil {
		visit(s.Items.Schema, path+"[]", out)
	}
	if ap := s.AdditionalProperties; ap != nil {
		switch {
		case ap.Schema != nil:
			visit(ap.Schema, path+"{}", out)
		case ap.Allows:
			*out = append(*out, Field{Path: path + "{}", Type: "any"})
		}
	}
}

func visit(s *apiextv1.JSONSchemaProps, path string, out *[]Field) {
	*out = append(*out, Field{Path: path, Type: TypeOf(s)})
	walk(s, path, out)
}

// TypeOf names the values a schema accepts, as described on Field.Type.
func TypeOf(s *apiextv1.JSONSchemaProps) string {
	preserve := s.XPreserveUnknownFields != nil && *s.XPreserveUnknownFields
	if s.XIntOrString {
		return "int-or-string"
	}
	if s.Type == "" {
		// Without a type, only x-kubernetes-preserve-unknown-fields (or a
		// schema nested in allOf/anyOf) says what is accepted: anything.
		return "any"
	}
	parts := []string{s.Type}
	if preserve {
		parts = append(parts, "preserve-unknown-fields")
	}
	if s.XEmbeddedResource {
		parts = append(parts, "embedded-resource")
	}
	return strings.Join(parts, ", ")
}
