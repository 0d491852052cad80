package pipeline_test

import (
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// TestInputsAreNotChanged: the pipeline only reads the objects it is
// given. The operator hands it the objects of its informers' cache
// itself, not copies (client.UnsafeDisableDeepCopy): a change here would
// corrupt the cache. Every case the generators are tested on, and
// kube-prometheus, is run cold and again with the caches warm.
func TestInputsAreNotChanged(t *testing.T) {
	var paths []string
	for _, pattern := range []string{
		"../promconfig/testdata/cases/*.yaml",
		"../amconfig/testdata/golden/*/input.yaml",
		"testdata/*.yaml",
	} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	paths = append(paths, testenv.KubePrometheusDir())
	if len(paths) < 25 {
		t.Fatalf("only %d inputs found", len(paths))
	}
	for _, path := range paths {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			g := NewWithT(t)
			inv, err := inventory.Load([]string{path}, "default")
			g.Expect(err).NotTo(HaveOccurred())
			before := copied(inv)
			snap := pipeline.FromInventory(inv, assets.FileReferencesAll)
			caches := pipeline.NewCaches()
			for range 2 {
				for _, p := range inv.Prometheuses {
					_, _ = pipeline.Prometheus(p, snap, caches)
				}
				for _, am := range inv.Alertmanagers {
					_, _ = pipeline.Alertmanager(am, snap)
				}
			}
			g.Expect(copied(inv)).To(Equal(before))
		})
	}
}

// copied is a deep copy of every object the pipeline reads.
func copied(inv *inventory.Inventory) []any {
	var out []any
	out = copies(out, inv.Prometheuses)
	out = copies(out, inv.Alertmanagers)
	out = copies(out, inv.ServiceMonitors)
	out = copies(out, inv.PodMonitors)
	out = copies(out, inv.Probes)
	out = copies(out, inv.ScrapeConfigs)
	out = copies(out, inv.PrometheusRules)
	out = copies(out, inv.AlertmanagerConfigs)
	for i := range inv.Secrets {
		out = append(out, inv.Secrets[i].DeepCopy())
	}
	for i := range inv.ConfigMaps {
		out = append(out, inv.ConfigMaps[i].DeepCopy())
	}
	return out
}

func copies[T runtime.Object](out []any, objs []T) []any {
	for _, o := range objs {
		out = append(out, o.DeepCopyObject())
	}
	return out
}
