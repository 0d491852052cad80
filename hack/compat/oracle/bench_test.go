package oracle

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// manifestDirEnv is internal/benchinput.ManifestDirEnv in Vigil's module:
// the folder holding the bench-<n>.yaml manifests that Vigil's generator
// benchmarks read too.
const manifestDirEnv = "VIGIL_BENCH_MANIFEST_DIR"

// benchmarkGenerate times Prometheus Operator's ServiceMonitor selection
// and generation (ServiceMonitorGenerator.Generate) on Vigil's benchmark
// manifest for n ServiceMonitors. Loading the manifest, applying the CRD
// defaults and starting the informers happen before the timed loop.
func benchmarkGenerate(b *testing.B, n int) {
	dir := os.Getenv(manifestDirEnv)
	if dir == "" {
		b.Skip(manifestDirEnv + " is not set: make bench-compat writes the manifests and sets it")
	}
	objs, err := Load([]string{filepath.Join(dir, fmt.Sprintf("bench-%d.yaml", n))}, "default")
	if err != nil {
		b.Fatal(err)
	}
	p, err := Pick(objs.Prometheuses, "monitoring/main", "default")
	if err != nil {
		b.Fatal(err)
	}
	if len(objs.ServiceMonitors) != n {
		b.Fatalf("%d ServiceMonitors in the manifest, want %d", len(objs.ServiceMonitors), n)
	}
	g, err := NewServiceMonitorGenerator(objs, p)
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	ctx := context.Background()
	var (
		cfg      []byte
		rejected []Rejection
	)
	b.ReportAllocs()
	u := startUsage()
	ops := 0
	for b.Loop() {
		if cfg, rejected, err = g.Generate(ctx); err != nil {
			b.Fatal(err)
		}
		ops++
	}
	u.report(b, ops)
	if len(rejected) > 0 {
		b.Fatalf("Prometheus Operator rejected %d ServiceMonitors, first %v", len(rejected), rejected[0])
	}
	b.ReportMetric(float64(len(cfg)), "bytes/config")
}

func BenchmarkGenerate1kServiceMonitors(b *testing.B) { benchmarkGenerate(b, 1000) }

func BenchmarkGenerate10kServiceMonitors(b *testing.B) { benchmarkGenerate(b, 10000) }

// usage measures a benchmark's timed loop with processUsage.
type usage struct{ cpu time.Duration }

// startUsage is called just before the timed loop.
func startUsage() usage {
	cpu, _, _ := processUsage()
	return usage{cpu}
}

// report reports the CPU time per op the process used since startUsage,
// every thread counted, which grows much less than ns/op when other work
// shares the machine; and the process's peak RSS, the loaded objects, the
// fake clientsets and the informers' caches included (make bench-compat
// runs each benchmark in a process of its own).
func (u usage) report(b *testing.B, ops int) {
	cpu, peakRSS, ok := processUsage()
	if !ok || ops == 0 {
		return
	}
	b.ReportMetric(float64(cpu-u.cpu)/float64(ops), "cpu-ns/op")
	b.ReportMetric(float64(peakRSS)/(1<<20), "peak-RSS-MiB")
}
