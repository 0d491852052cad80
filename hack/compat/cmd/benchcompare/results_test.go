package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseBenchmarks(t *testing.T) {
	out := `goos: linux
goarch: amd64
pkg: github.com/vigil-monitoring/vigil/internal/promconfig
BenchmarkGenerate1kServiceMonitors-2   	       1	1023456789 ns/op	   4817228 bytes/config	        88.50 peak-RSS-MiB	603000000 B/op	 4900000 allocs/op
BenchmarkGenerate1kServiceMonitors-2   	       1	 900000000 ns/op	   4817228 bytes/config	        90.50 peak-RSS-MiB	603000100 B/op	 4900001 allocs/op
BenchmarkGenerate1kServiceMonitors-2   	       1	 950000000 ns/op	   4817228 bytes/config	        89.50 peak-RSS-MiB	603000200 B/op	 4900002 allocs/op
BenchmarkGenerate1kServiceMonitorsOneChanged     	       3	  46000000 ns/op	26000000 B/op	  224000 allocs/op
--- BENCH: BenchmarkSkipped-2
PASS
ok  	github.com/vigil-monitoring/vigil/internal/promconfig	12.3s
`
	runs := parseBenchmarks(out)
	if len(runs) != 2 || len(runs["BenchmarkGenerate1kServiceMonitors"]) != 3 {
		t.Fatalf("runs: %v", runs)
	}
	got := medians(runs["BenchmarkGenerate1kServiceMonitors"])
	want := result{"ns/op": 950000000, "bytes/config": 4817228, "peak-RSS-MiB": 89.5, "B/op": 603000100, "allocs/op": 4900001}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("medians (-want +got):\n%s", d)
	}
	got = medians(runs["BenchmarkGenerate1kServiceMonitorsOneChanged"])
	want = result{"ns/op": 46000000, "B/op": 26000000, "allocs/op": 224000}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("medians (-want +got):\n%s", d)
	}
}

func TestMediansOfAnEvenCount(t *testing.T) {
	got := medians([]result{{"ns/op": 4}, {"ns/op": 1}, {"ns/op": 2}, {"ns/op": 10}})
	if got["ns/op"] != 3 {
		t.Errorf("median of 1, 2, 4, 10 = %v, want 3", got["ns/op"])
	}
}

func TestTable(t *testing.T) {
	got := table([]row{{
		n: 1000,
		vigil: []result{
			{"ns/op": 1e9, "B/op": 600e6, "allocs/op": 4.9e6},
			{"ns/op": 1.2e9, "B/op": 600e6, "allocs/op": 4.9e6},
			{"ns/op": 0.9e9, "B/op": 600e6, "allocs/op": 4.9e6},
		},
		po: []result{
			{"ns/op": 250e6, "B/op": 467e6, "allocs/op": 912e3, "bytes/config": 4801228},
			{"ns/op": 300e6, "B/op": 467e6, "allocs/op": 912e3, "bytes/config": 4801228},
			{"ns/op": 200e6, "B/op": 467e6, "allocs/op": 912e3, "bytes/config": 4801228},
		},
		edit: []result{
			{"ns/op": 46e6, "B/op": 26e6, "allocs/op": 224e3},
			{"ns/op": 46e6, "B/op": 26e6, "allocs/op": 224e3},
			{"ns/op": 46e6, "B/op": 26e6, "allocs/op": 224e3},
		},
	}})
	want := `| ServiceMonitors | measure | Vigil, cold | Prometheus Operator | Vigil / PO | Vigil, one edited (cache) | edited / PO |
|---|---|---|---|---|---|---|
| 1,000 | time | 1.00 s | 250 ms | 4.00 (4.00–4.50) | 46 ms | 0.18 (0.15–0.23) |
| 1,000 | CPU time (all threads) | — | — | — | — | — |
| 1,000 | allocated | 600 MB | 467 MB | 1.28 | 26 MB | 0.056 |
| 1,000 | allocations | 4.9M | 912,000 | 5.37 | 224,000 | 0.25 |
| 1,000 | peak RSS of the process | — | — | — | — | — |
| 1,000 | prometheus.yaml | — | 4.8 MB | — | — | — |
`
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("table (-want +got):\n%s", d)
	}
}
