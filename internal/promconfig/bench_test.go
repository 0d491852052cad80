package promconfig

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/benchinput"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/selection"
)

// benchInput is what the Prometheus of benchinput's manifest selects: n
// realistic ServiceMonitors spread over 50 namespaces, each with two
// endpoints (a named port, an interval, a relabeling and a metric
// relabeling), a two-label selector and a namespaceSelector. The manifest
// is loaded and selected from as vigilctl does, outside the timed loop. It
// is read from $VIGIL_BENCH_MANIFEST_DIR when that is set (make
// bench-compat gives Prometheus Operator's benchmark the same file) and
// written to a temporary folder otherwise.
func benchInput(tb testing.TB, n int) Input {
	tb.Helper()
	path := filepath.Join(os.Getenv(benchinput.ManifestDirEnv), benchinput.FileName(n))
	if os.Getenv(benchinput.ManifestDirEnv) == "" {
		var err error
		if path, err = benchinput.Write(tb.TempDir(), n); err != nil {
			tb.Fatal(err)
		}
	}
	inv, err := inventory.Load([]string{path}, "default")
	if err != nil {
		tb.Fatal(err)
	}
	if len(inv.Problems) > 0 || len(inv.Prometheuses) != 1 {
		tb.Fatalf("%s: want one Prometheus and no problems, got %d Prometheuses and problems %v", path, len(inv.Prometheuses), inv.Problems)
	}
	p := inv.Prometheuses[0]
	sel := selection.ForPrometheus(p, inv.NamespaceLabels())
	in := Input{
		Prometheus:      p,
		ServiceMonitors: selection.Filter(sel.ServiceMonitors, inv.ServiceMonitors),
		PodMonitors:     selection.Filter(sel.PodMonitors, inv.PodMonitors),
		Probes:          selection.Filter(sel.Probes, inv.Probes),
		ScrapeConfigs:   selection.Filter(sel.ScrapeConfigs, inv.ScrapeConfigs),
		Store:           assets.NewStore(inv.Secrets, inv.ConfigMaps),
	}
	if len(in.ServiceMonitors) != n {
		tb.Fatalf("%s: %d ServiceMonitors selected, want %d", path, len(in.ServiceMonitors), n)
	}
	return in
}

// usage measures a benchmark's timed loop with processUsage.
type usage struct{ cpu time.Duration }

// startUsage is called just before the timed loop.
func startUsage() usage {
	cpu, _, _ := processUsage()
	return usage{cpu}
}

// report reports the CPU time per op the process used since startUsage,
// every thread counted, which grows much less than ns/op when other work
// shares the machine; and the process's peak RSS, the loaded input and
// earlier benchmarks of the same process included (make bench-compat runs
// each benchmark in a process of its own).
func (u usage) report(b *testing.B, ops int) {
	cpu, peakRSS, ok := processUsage()
	if !ok || ops == 0 {
		return
	}
	b.ReportMetric(float64(cpu-u.cpu)/float64(ops), "cpu-ns/op")
	b.ReportMetric(float64(peakRSS)/(1<<20), "peak-RSS-MiB")
}

func benchmarkGenerate(b *testing.B, in Input) {
	var size, ops int
	b.ReportAllocs()
	u := startUsage()
	for b.Loop() {
		res, err := Generate(in)
		if err != nil {
			b.Fatal(err)
		}
		size = len(res.Config)
		ops++
	}
	u.report(b, ops)
	b.ReportMetric(float64(size), "bytes/config")
}

func BenchmarkGenerate1kServiceMonitors(b *testing.B) { benchmarkGenerate(b, benchInput(b, 1000)) }

func BenchmarkGenerate10kServiceMonitors(b *testing.B) { benchmarkGenerate(b, benchInput(b, 10000)) }

// BenchmarkGenerate1kServiceMonitorsOneBadRegex measures a cold
// generation in which Prometheus's parser refuses one monitor (a regex
// only it checks), which is left out with its message.
func BenchmarkGenerate1kServiceMonitorsOneBadRegex(b *testing.B) {
	in := benchInput(b, 1000)
	in.ServiceMonitors[500].Spec.Endpoints[0].RelabelConfigs[0].Regex = "(unclosed"
	benchmarkGenerate(b, in)
}

// benchmarkOneChanged measures what the operator does after one monitor is
// edited: Generate with the cache of the previous call, where one
// ServiceMonitor's interval differs each time.
func benchmarkOneChanged(b *testing.B, n int) {
	in := benchInput(b, n)
	in.Cache = NewCache()
	if _, err := Generate(in); err != nil {
		b.Fatal(err)
	}
	edited := in.ServiceMonitors[n/2]
	intervals := []monitoringv1.Duration{"15s", "45s"}
	b.ReportAllocs()
	u := startUsage()
	i := 0
	for b.Loop() {
		edited.Spec.Endpoints[0].Interval = intervals[i%2]
		i++
		if _, err := Generate(in); err != nil {
			b.Fatal(err)
		}
	}
	u.report(b, i)
}

func BenchmarkGenerate1kServiceMonitorsOneChanged(b *testing.B) { benchmarkOneChanged(b, 1000) }

func BenchmarkGenerate10kServiceMonitorsOneChanged(b *testing.B) { benchmarkOneChanged(b, 10000) }
