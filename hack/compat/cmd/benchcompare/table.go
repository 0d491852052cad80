package main

import (
	"fmt"
	"math"
	"strings"
)

// row is one size's three benchmarks, one result per round.
type row struct {
	n               int
	vigil, po, edit []result
}

// measures are the table's lines per size: a label, the unit, and how a
// value is written.
var measures = []struct {
	label, unit string
	format      func(float64) string
}{
	{"time", "ns/op", seconds},
	{"CPU time (all threads)", "cpu-ns/op", seconds},
	{"allocated", "B/op", byteSize},
	{"allocations", "allocs/op", count},
	{"peak RSS of the process", "peak-RSS-MiB", func(v float64) string { return fmt.Sprintf("%.0f MiB", v) }},
	{"prometheus.yaml", "bytes/config", byteSize},
}

// table is the Markdown table of rows: medians, and ratios of the medians
// followed by the range of the ratios within one round when it is wider
// than the rounding.
func table(rows []row) string {
	var b strings.Builder
	b.WriteString("| ServiceMonitors | measure | Vigil, cold | Prometheus Operator | Vigil / PO | Vigil, one edited (cache) | edited / PO |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		vigil, po, edit := medians(r.vigil), medians(r.po), medians(r.edit)
		for _, m := range measures {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", count(float64(r.n)), m.label,
				value(vigil, m.unit, m.format), value(po, m.unit, m.format), ratios(r.vigil, r.po, m.unit),
				value(edit, m.unit, m.format), ratios(r.edit, r.po, m.unit))
		}
	}
	return b.String()
}

func value(r result, unit string, format func(float64) string) string {
	v, ok := r[unit]
	if !ok {
		return "—"
	}
	return format(v)
}

// ratios is the ratio of the medians of a and b, then the lowest and the
// highest ratio of one round's a and b.
func ratios(a, b []result, unit string) string {
	med, ok := ratio(medians(a)[unit], medians(b)[unit])
	if !ok || len(a) != len(b) {
		return "—"
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range a {
		r, ok := ratio(a[i][unit], b[i][unit])
		if !ok {
			return "—"
		}
		lo, hi = min(lo, r), max(hi, r)
	}
	s := formatRatio(med)
	if formatRatio(lo) != formatRatio(hi) {
		s += " (" + formatRatio(lo) + "–" + formatRatio(hi) + ")"
	}
	return s
}

func ratio(a, b float64) (float64, bool) {
	if a == 0 || b == 0 {
		return 0, false
	}
	return a / b, true
}

func formatRatio(r float64) string {
	if r < 0.1 {
		return fmt.Sprintf("%.3f", r)
	}
	return fmt.Sprintf("%.2f", r)
}

func seconds(ns float64) string {
	switch s := ns / 1e9; {
	case s >= 1:
		return fmt.Sprintf("%.2f s", s)
	default:
		return fmt.Sprintf("%.0f ms", s*1000)
	}
}

// byteSize writes v bytes with three significant digits.
func byteSize(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.3g GB", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.3g MB", v/1e6)
	default:
		return fmt.Sprintf("%.3g kB", v/1e3)
	}
}

// count writes 1,000 as 1,000 and millions as 1.2M.
func count(v float64) string {
	if v >= 1e6 {
		return fmt.Sprintf("%.1fM", v/1e6)
	}
	s := fmt.Sprintf("%.0f", math.Round(v))
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
