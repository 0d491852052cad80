package main

import (
	"fmt"
	"math"
	"strings"
)

// row is one size's three benchmarks.
type row struct {
	n               int
	vigil, po, edit result
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

// table is the Markdown table of rows.
func table(rows []row) string {
	var b strings.Builder
	b.WriteString("| ServiceMonitors | measure | Vigil, cold | Prometheus Operator | Vigil / PO | Vigil, one edited (cache) | edited / PO |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		for _, m := range measures {
			v, vok := r.vigil[m.unit]
			p, pok := r.po[m.unit]
			e, eok := r.edit[m.unit]
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", count(float64(r.n)), m.label,
				value(v, vok, m.format), value(p, pok, m.format), ratio(v, vok, p, pok),
				value(e, eok, m.format), ratio(e, eok, p, pok))
		}
	}
	return b.String()
}

func value(v float64, ok bool, format func(float64) string) string {
	if !ok {
		return "—"
	}
	return format(v)
}

func ratio(a float64, aok bool, b float64, bok bool) string {
	if !aok || !bok || b == 0 {
		return "—"
	}
	r := a / b
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

func byteSize(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.2f GB", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.0f MB", v/1e6)
	default:
		return fmt.Sprintf("%.0f kB", v/1e3)
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
