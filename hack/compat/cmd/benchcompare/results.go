package main

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// result is one benchmark's value of each unit (ns/op, B/op, allocs/op,
// bytes/config, peak-RSS-MiB).
type result map[string]float64

// gomaxprocsSuffix is the -N go test appends to benchmark names.
var gomaxprocsSuffix = regexp.MustCompile(`-\d+$`)

// parseBenchmarks reads go test -bench output: each result line, by
// benchmark name without the GOMAXPROCS suffix.
func parseBenchmarks(out string) map[string][]result {
	runs := map[string][]result{}
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		r := result{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				r = nil
				break
			}
			r[f[i+1]] = v
		}
		if r != nil {
			name := gomaxprocsSuffix.ReplaceAllString(f[0], "")
			runs[name] = append(runs[name], r)
		}
	}
	return runs
}

// medians is the median of each unit over runs.
func medians(runs []result) result {
	out := result{}
	if len(runs) == 0 {
		return out
	}
	for unit := range runs[0] {
		var vs []float64
		for _, r := range runs {
			if v, ok := r[unit]; ok {
				vs = append(vs, v)
			}
		}
		slices.Sort(vs)
		if len(vs)%2 == 1 {
			out[unit] = vs[len(vs)/2]
		} else {
			out[unit] = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
		}
	}
	return out
}
