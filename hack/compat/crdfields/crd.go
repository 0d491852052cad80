package crdfields

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	crd "github.com/prometheus-operator/prometheus-operator/example"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// Version is one version of one kind, such as Prometheus/v1.
type Version struct {
	Kind string
	Name string
}

func (v Version) String() string { return v.Kind + "/" + v.Name }

// Schemas holds the fields of every served CRD version.
type Schemas map[Version][]Field

// LoadPrometheusOperator returns the fields of Prometheus Operator's full
// CRDs, as embedded in the module version hack/compat/go.mod requires.
func LoadPrometheusOperator() (Schemas, error) {
	var buf bytes.Buffer
	if err := crd.PrintAllFull(&buf); err != nil {
		return nil, fmt.Errorf("reading Prometheus Operator's CRDs: %w", err)
	}
	schemas := Schemas{}
	if err := schemas.add(&buf, "Prometheus Operator's CRDs"); err != nil {
		return nil, err
	}
	return schemas, nil
}

// LoadDir returns the fields of the CRDs in the *.yaml files of dir, such as
// Vigil's config/crd/bases.
func LoadDir(dir string) (Schemas, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("listing CRDs in %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.yaml CRD files in %s", dir)
	}
	schemas := Schemas{}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("reading CRD: %w", err)
		}
		if err := schemas.add(bytes.NewReader(data), name); err != nil {
			return nil, err
		}
	}
	return schemas, nil
}

// Parse returns the fields of the CRDs in r, a stream of YAML documents.
func Parse(r io.Reader) (Schemas, error) {
	schemas := Schemas{}
	if err := schemas.add(r, "CRDs"); err != nil {
		return nil, err
	}
	return schemas, nil
}

// add walks every served version of every CRD in r; source names r in errors.
func (s Schemas) add(r io.Reader, source string) error {
	docs := utilyaml.NewYAMLReader(bufio.NewReader(r))
	for {
		doc, err := docs.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("splitting %s into documents: %w", source, err)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		var def apiextv1.CustomResourceDefinition
		if err := yaml.Unmarshal(doc, &def); err != nil {
			return fmt.Errorf("decoding a CRD in %s: %w", source, err)
		}
		if def.Kind != "CustomResourceDefinition" {
			return fmt.Errorf("%s: a %q document where a CustomResourceDefinition was expected", source, def.Kind)
		}
		if err := s.addCRD(&def); err != nil {
			return fmt.Errorf("%s: %w", source, err)
		}
	}
}

func (s Schemas) addCRD(def *apiextv1.CustomResourceDefinition) error {
	for _, v := range def.Spec.Versions {
		if !v.Served {
			continue
		}
		key := Version{Kind: def.Spec.Names.Kind, Name: v.Name}
		if _, dup := s[key]; dup {
			return fmt.Errorf("%s is defined twice", key)
		}
		if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
			return fmt.Errorf("%s has no openAPIV3Schema", key)
		}
		s[key] = Walk(v.Schema.OpenAPIV3Schema)
	}
	return nil
}
