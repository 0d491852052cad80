package fielduse

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/manifest"
)

// specTypes are the Go types of each kind's spec, which give a field's Go
// name from its JSON path.
var specTypes = map[string]reflect.Type{
	"ServiceMonitor":     reflect.TypeFor[monitoringv1.ServiceMonitorSpec](),
	"PodMonitor":         reflect.TypeFor[monitoringv1.PodMonitorSpec](),
	"Probe":              reflect.TypeFor[monitoringv1.ProbeSpec](),
	"PrometheusRule":     reflect.TypeFor[monitoringv1.PrometheusRuleSpec](),
	"Prometheus":         reflect.TypeFor[monitoringv1.PrometheusSpec](),
	"Alertmanager":       reflect.TypeFor[monitoringv1.AlertmanagerSpec](),
	"AlertmanagerConfig": reflect.TypeFor[monitoringv1alpha1.AlertmanagerConfigSpec](),
	"ScrapeConfig":       reflect.TypeFor[monitoringv1alpha1.ScrapeConfigSpec](),
}

// crdFields are the field paths under spec of one CRD, such as
// spec.endpoints.tlsConfig.ca: every path (fields holding others
// included), and the leaves, the fields that hold a value. A list's items
// add no segment; a map is a leaf.
type crdFields struct {
	all    map[string]bool
	leaves []string
}

// repoRoot is the folder holding go.mod, above the test's folder.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// readCRDs reads every CRD of config/crd/bases, by kind.
func readCRDs(root string) (map[string]crdFields, error) {
	files, err := filepath.Glob(filepath.Join(root, "config", "crd", "bases", "*.yaml"))
	if err != nil {
		return nil, err
	}
	out := map[string]crdFields{}
	for _, f := range files {
		objs, err := manifest.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			var crd apiextensionsv1.CustomResourceDefinition
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &crd); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			if len(crd.Spec.Versions) != 1 || crd.Spec.Versions[0].Schema == nil {
				return nil, fmt.Errorf("%s: expected one version with a schema", f)
			}
			spec, ok := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"]
			if !ok {
				return nil, fmt.Errorf("%s: no spec", f)
			}
			fields := crdFields{all: map[string]bool{}}
			fields.walk("spec", &spec)
			out[crd.Spec.Names.Kind] = fields
		}
	}
	return out, nil
}

func (f *crdFields) walk(path string, s *apiextensionsv1.JSONSchemaProps) {
	f.all[path] = true
	if s.Items != nil && s.Items.Schema != nil {
		s = s.Items.Schema
	}
	if len(s.Properties) == 0 {
		f.leaves = append(f.leaves, path)
		return
	}
	for name, p := range s.Properties {
		f.walk(path+"."+name, &p)
	}
}

// goFieldName is the Go name of the field at a JSON path under spec, found
// through embedded (inline) structs, pointers, lists and maps.
func goFieldName(spec reflect.Type, path string) (string, error) {
	segs := strings.Split(path, ".")[1:]
	if len(segs) == 0 {
		return "Spec", nil
	}
	t, name := spec, ""
	for _, seg := range segs {
		t = elem(t)
		f, ok := jsonField(t, seg)
		if !ok {
			return "", fmt.Errorf("%s has no field %q", t, seg)
		}
		t, name = f.Type, f.Name
	}
	return name, nil
}

func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	return t
}

// jsonField finds the field serialised as name, looking into embedded
// structs whose fields are inlined.
func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	if t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name {
			return f, true
		}
		if f.Anonymous && tag == "" {
			if inner, ok := jsonField(elem(f.Type), name); ok {
				return inner, true
			}
		}
	}
	return reflect.StructField{}, false
}
