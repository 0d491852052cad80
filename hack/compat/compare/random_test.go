package compare

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The seeds TestRandomMonitorSetsMatchPrometheusOperator and
// TestRandomAlertmanagerConfigSetsMatchPrometheusOperator run; a sweep of
// more: -random-first-seed 1000 -random-seeds 500. FuzzMonitorSets runs
// open-ended.
var (
	randomFirstSeed = flag.Uint64("random-first-seed", 0, "the first seed the random tests run")
	randomSeeds     = flag.Uint64("random-seeds", 25, "the number of seeds TestRandomMonitorSetsMatchPrometheusOperator runs")
	randomAMSeeds   = flag.Uint64("random-am-seeds", 15, "the number of seeds TestRandomAlertmanagerConfigSetsMatchPrometheusOperator runs")
)

// TestRandomMonitorSetsMatchPrometheusOperator feeds randomly generated,
// valid manifest sets (randgen_test.go) through vigilctl and Prometheus
// Operator and fails on any difference. The features listed in
// knownDifferences are left out of the sets.
func TestRandomMonitorSetsMatchPrometheusOperator(t *testing.T) {
	start := time.Now()
	for seed := *randomFirstSeed; seed < *randomFirstSeed+*randomSeeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			checkRandomSet(t, seed, int(seed%3))
		})
	}
	t.Logf("%d seeds in %s", *randomSeeds, time.Since(start).Round(time.Millisecond))
}

// TestRandomAlertmanagerConfigSetsMatchPrometheusOperator feeds randomly
// generated, valid Alertmanager sets (randgen_alertmanager_test.go: an
// Alertmanager, perhaps its configuration Secret, AlertmanagerConfigs)
// through vigilctl and Prometheus Operator's Alertmanager controller and
// fails on any difference. The features listed in knownDifferences are
// left out of the sets.
func TestRandomAlertmanagerConfigSetsMatchPrometheusOperator(t *testing.T) {
	start := time.Now()
	for seed := *randomFirstSeed; seed < *randomFirstSeed+*randomAMSeeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			size := int(seed % 3)
			checkManifests(t, "alertmanager", seed, size, generateAlertmanagerManifests(seed, size))
		})
	}
	t.Logf("%d seeds in %s", *randomAMSeeds, time.Since(start).Round(time.Millisecond))
}

// FuzzMonitorSets is TestRandomMonitorSetsMatchPrometheusOperator over
// any seed and size:
//
//	go test ./compare -run '^$' -fuzz FuzzMonitorSets
func FuzzMonitorSets(f *testing.F) {
	for seed := range uint64(4) {
		f.Add(seed, uint8(seed))
	}
	f.Fuzz(func(t *testing.T, seed uint64, size uint8) {
		checkRandomSet(t, seed, int(size%4))
	})
}

// checkRandomSet compares the configurations Vigil and Prometheus
// Operator generate from the monitor set of seed and size.
func checkRandomSet(t *testing.T, seed uint64, size int) {
	t.Helper()
	checkManifests(t, "prometheus", seed, size, generateManifests(seed, size))
}

// checkManifests compares the configurations Vigil and Prometheus
// Operator generate from the manifests of seed and size, which `render
// <what>` shows. On failure it keeps the manifests where a developer can
// reproduce the difference.
func checkManifests(t *testing.T, what string, seed uint64, size int, manifests []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "manifests.yaml")
	if err := os.WriteFile(path, manifests, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		kept := filepath.Join(os.TempDir(), fmt.Sprintf("vigil-compat-%s-seed-%d-size-%d.yaml", what, seed, size))
		if err := os.WriteFile(kept, manifests, 0o644); err != nil {
			t.Errorf("keeping the manifests: %v", err)
			return
		}
		t.Logf("the manifests are in %s; reproduce with\n"+
			"  go run ./cmd/vigilctl render %[2]s -f %[1]s    # Vigil, in the repository's root\n"+
			"  go run ./cmd/po-render %[2]s -f %[1]s          # Prometheus Operator, in hack/compat", kept, what)
	})
	lines, details := compareCase(t, []string{path})
	if len(lines) == 0 {
		return
	}
	t.Errorf("seed %d, size %d: Vigil and Prometheus Operator differ:\n  %s\n\n%s",
		seed, size, strings.Join(lines, "\n  "), strings.Join(details, "\n"))
}
