package v1_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// TestKubePrometheusMonitorsDecodeStrictly decodes every ServiceMonitor and
// PrometheusRule that kube-prometheus ships into Vigil's Go types, failing on
// any field the types do not know, and encodes them back: what comes out
// must be what went in, so no field is dropped or reshaped on the way.
func TestKubePrometheusMonitorsDecodeStrictly(t *testing.T) {
	decoders := map[string]func() any{
		"ServiceMonitor": func() any { return &monitoringv1.ServiceMonitor{} },
		"PrometheusRule": func() any { return &monitoringv1.PrometheusRule{} },
	}

	files, err := filepath.Glob(filepath.Join(testenv.KubePrometheusDir(), "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no kube-prometheus manifests in %s", testenv.KubePrometheusDir())
	}

	decoded := map[string]int{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := manifest.Documents(data)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range docs {
			var head struct{ Kind string }
			if err := json.Unmarshal(doc, &head); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			newObj, ok := decoders[head.Kind]
			if !ok {
				continue
			}
			decoded[head.Kind]++
			t.Run(fmt.Sprintf("%s/%d", filepath.Base(file), i), func(t *testing.T) {
				obj := newObj()
				if err := manifest.DecodeStrict(doc, obj); err != nil {
					t.Fatalf("strict decode: %v", err)
				}
				encoded, err := json.Marshal(obj)
				if err != nil {
					t.Fatal(err)
				}
				var want, got any
				if err := json.Unmarshal(doc, &want); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(encoded, &got); err != nil {
					t.Fatal(err)
				}
				if diffs := testenv.Contained("", want, got); len(diffs) > 0 {
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
