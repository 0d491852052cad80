package v1_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// kubePrometheusDir holds kube-prometheus's manifests, shared by the team
// beside the repository (../shared from the repository root).
var kubePrometheusDir = filepath.Join("..", "..", "..", "shared", "testdata", "kube-prometheus")

// TestKubePrometheusMonitorsDecodeStrictly decodes every ServiceMonitor and
// PrometheusRule that kube-prometheus ships into Vigil's Go types, failing on
// any field the types do not know, and encodes them back: what comes out
// must be what went in, so no field is dropped or reshaped on the way.
func TestKubePrometheusMonitorsDecodeStrictly(t *testing.T) {
	decoders := map[string]func() any{
		"ServiceMonitor": func() any { return &monitoringv1.ServiceMonitor{} },
		"PrometheusRule": func() any { return &monitoringv1.PrometheusRule{} },
	}

	files, err := filepath.Glob(filepath.Join(kubePrometheusDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no kube-prometheus manifests in %s", kubePrometheusDir)
	}

	decoded := map[string]int{}
	for _, file := range files {
		for i, doc := range yamlDocuments(t, file) {
			var head struct{ Kind string }
			if err := yaml.Unmarshal(doc, &head); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			newObj, ok := decoders[head.Kind]
			if !ok {
				continue
			}
			decoded[head.Kind]++
			t.Run(fmt.Sprintf("%s/%d", filepath.Base(file), i), func(t *testing.T) {
				obj := newObj()
				if err := yaml.UnmarshalStrict(doc, obj); err != nil {
					t.Fatalf("strict decode: %v", err)
				}
				if diffs := roundTripDiffs(t, doc, obj); len(diffs) > 0 {
					t.Errorf("encoding the decoded object changed it:\n%s", strings.Join(diffs, "\n"))
				}
			})
		}
	}

	// kube-prometheus ships 13 ServiceMonitors and 8 PrometheusRules; fewer
	// means the test read the wrong folder or skipped documents.
	want := map[string]int{"ServiceMonitor": 13, "PrometheusRule": 8}
	if !reflect.DeepEqual(decoded, want) {
		t.Errorf("decoded %v, want %v", decoded, want)
	}
}

// yamlDocuments splits a YAML file into its non-empty documents.
func yamlDocuments(t *testing.T, file string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var docs [][]byte
	for _, doc := range strings.Split(string(data), "\n---") {
		doc = strings.TrimPrefix(doc, "---")
		if strings.TrimSpace(doc) != "" {
			docs = append(docs, []byte(doc))
		}
	}
	return docs
}

// roundTripDiffs compares the document with obj encoded back to JSON.
func roundTripDiffs(t *testing.T, doc []byte, obj any) []string {
	t.Helper()
	var want, got any
	if err := yaml.Unmarshal(doc, &want); err != nil {
		t.Fatal(err)
	}
	encoded, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(encoded, &got); err != nil {
		t.Fatal(err)
	}
	return jsonDiffs("", want, got)
}

// jsonDiffs lists where two decoded JSON values differ.
func jsonDiffs(path string, want, got any) []string {
	wm, wok := want.(map[string]any)
	gm, gok := got.(map[string]any)
	if wok && gok {
		keys := map[string]bool{}
		for k := range wm {
			keys[k] = true
		}
		for k := range gm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		var diffs []string
		for _, k := range sorted {
			if _, in := wm[k]; !in && isEmptyObject(gm[k]) {
				// encoding/json writes a struct-valued field even when
				// it is zero: tlsConfig's ca and cert come back as {}.
				continue
			}
			diffs = append(diffs, jsonDiffs(path+"."+k, wm[k], gm[k])...)
		}
		return diffs
	}
	wl, wok := want.([]any)
	gl, gok := got.([]any)
	if wok && gok && len(wl) == len(gl) {
		var diffs []string
		for i := range wl {
			diffs = append(diffs, jsonDiffs(fmt.Sprintf("%s[%d]", path, i), wl[i], gl[i])...)
		}
		return diffs
	}
	if !reflect.DeepEqual(want, got) {
		return []string{fmt.Sprintf("%s: in %v, out %v", path, want, got)}
	}
	return nil
}

func isEmptyObject(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) == 0
}
