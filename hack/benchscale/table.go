package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// row is one measure of the table: its name, and its value in a result.
type row struct {
	name  string
	unit  string
	value func(result) float64
}

var rows = []row{
	{"converge after the last object is created", "s", func(r result) float64 { return r.converge.Seconds() }},
	{"one ServiceMonitor edited -> Secret updated (median)", "s", func(r result) float64 { return median(r.edits).Seconds() }},
	{"last write after the last object is created", "s", func(r result) float64 { return r.settle.Seconds() }},
	{"peak RSS", "MiB", func(r result) float64 { return float64(r.usage.peakRSS) / (1 << 20) }},
	{"CPU", "s", func(r result) float64 { return r.usage.cpu.Seconds() }},
	{"API writes over the run", "", func(r result) float64 { return float64(len(r.writes)) }},
	{"API writes after an unchanged input", "", func(r result) float64 { return float64(len(r.unchanged)) }},
}

// printTable prints, for each N, Vigil's figures, Prometheus Operator's
// and their ratio, then every run's writes by resource and verb.
func printTable(w io.Writer, results []result) {
	fmt.Fprintln(w, "| ServiceMonitors | measure | Vigil | Prometheus Operator | Vigil / PO |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	var sizes []int
	byRun := map[[2]any]result{}
	for _, r := range results {
		if !slices.Contains(sizes, r.n) {
			sizes = append(sizes, r.n)
		}
		byRun[[2]any{r.operator, r.n}] = r
	}
	for _, n := range sizes {
		v, vok := byRun[[2]any{vigilName, n}]
		po, pook := byRun[[2]any{poName, n}]
		for _, r := range rows {
			a, b, ratio := "-", "-", "-"
			if vok {
				a = number(r.value(v), r.unit)
			}
			if pook {
				b = number(r.value(po), r.unit)
			}
			if vok && pook && r.value(po) != 0 {
				ratio = fmt.Sprintf("%.3f", r.value(v)/r.value(po))
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s |\n", n, r.name, a, b, ratio)
		}
	}
	fmt.Fprintln(w)
	for _, r := range results {
		counts := byResource(r.writes)
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(counts)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
		}
		fmt.Fprintf(w, "%s, %d: writes: %s\n", r.operator, r.n, strings.Join(parts, ", "))
		if len(r.unchanged) > 0 {
			u := byResource(r.unchanged)
			parts = parts[:0]
			for _, k := range slices.Sorted(maps.Keys(u)) {
				parts = append(parts, fmt.Sprintf("%s %d", k, u[k]))
			}
			fmt.Fprintf(w, "%s, %d: after the unchanged input: %s\n", r.operator, r.n, strings.Join(parts, ", "))
		}
		edits := make([]string, len(r.edits))
		for i, e := range r.edits {
			edits[i] = fmt.Sprintf("%.3f", e.Seconds())
		}
		fmt.Fprintf(w, "%s, %d: edits (s): %s\n", r.operator, r.n, strings.Join(edits, " "))
	}
}

func number(v float64, unit string) string {
	switch unit {
	case "":
		return fmt.Sprintf("%.0f", v)
	case "s":
		return fmt.Sprintf("%.3f s", v)
	default:
		return fmt.Sprintf("%.1f %s", v, unit)
	}
}
