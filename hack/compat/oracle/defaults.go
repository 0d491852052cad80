package oracle

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	crd "github.com/prometheus-operator/prometheus-operator/example"
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// crds are Prometheus Operator's CRDs (example/prometheus-operator-crd-full,
// embedded in its module).
var crds = sync.OnceValues(loadCRDs)

func loadCRDs() ([]*apiextensionsv1.CustomResourceDefinition, error) {
	var buf bytes.Buffer
	if err := crd.PrintAllFull(&buf); err != nil {
		return nil, err
	}
	var out []*apiextensionsv1.CustomResourceDefinition
	r := utilyaml.NewYAMLReader(bufio.NewReader(&buf))
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		c := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal(doc, c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

// schemas are Prometheus Operator's CRD schemas, by kind and version
// ("Prometheus/v1"), for the defaults an API server would apply.
var schemas = sync.OnceValues(loadSchemas)

func loadSchemas() (map[string]*structuralschema.Structural, error) {
	all, err := crds()
	if err != nil {
		return nil, err
	}
	out := map[string]*structuralschema.Structural{}
	for _, c := range all {
		for _, v := range c.Spec.Versions {
			if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
				continue
			}
			var internal apiextensions.JSONSchemaProps
			if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, &internal, nil); err != nil {
				return nil, err
			}
			s, err := structuralschema.NewStructural(&internal)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", c.Spec.Names.Kind, v.Name, err)
			}
			out[c.Spec.Names.Kind+"/"+v.Name] = s
		}
	}
	return out, nil
}

// withDefaults returns doc (JSON of a monitoring.coreos.com object) with
// the defaults of Prometheus Operator's CRD applied, as the
// API server applies them when the object is created.
func withDefaults(doc []byte, kind, version string) ([]byte, error) {
	all, err := schemas()
	if err != nil {
		return nil, err
	}
	s, ok := all[kind+"/"+version]
	if !ok {
		return nil, fmt.Errorf("Prometheus Operator serves no %s in version %s", kind, version)
	}
	var obj map[string]any
	if err := json.Unmarshal(doc, &obj); err != nil {
		return nil, err
	}
	structuraldefaulting.Default(obj, s)
	return json.Marshal(obj)
}
