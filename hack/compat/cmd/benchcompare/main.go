// benchcompare benchmarks Vigil's configuration generator and Prometheus
// Operator v0.93.0's on one input, back to back on this machine, and
// prints the ratios as a Markdown table (`make bench-compat`):
//
//	benchcompare [-repo DIR] [-n 1000,10000] [-count 3] [-benchtime 1x]
//
// It writes the manifests once (go run ./hack/benchmanifests), then for
// each size runs -count rounds of three benchmarks, each round one
// `go test -bench -count 1` process per benchmark, one at a time, so that
// each process's peak RSS is one benchmark's and a change in the machine's
// load over the run reaches both generators alike:
//
//   - Vigil, cold: promconfig.Generate without a cache
//     (internal/promconfig BenchmarkGenerate<n>ServiceMonitors);
//   - Prometheus Operator: ResourceSelector.SelectServiceMonitors and
//     ConfigGenerator.GenerateServerConfiguration
//     (hack/compat/oracle BenchmarkGenerate<n>ServiceMonitors);
//   - Vigil, one ServiceMonitor edited: promconfig.Generate with the
//     cache of the previous call
//     (BenchmarkGenerate<n>ServiceMonitorsOneChanged).
//
// Prometheus Operator has no cache: an edit makes it do the whole cold
// generation again, so the edit is compared with its cold figure. Each
// ratio is the ratio of the medians, followed by the lowest and highest
// ratio within one round when they differ.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare:", err)
		os.Exit(1)
	}
}

func run() error {
	repo := flag.String("repo", "../..", "Vigil's repository (hack/compat is inside it)")
	sizes := flag.String("n", "1000,10000", "numbers of ServiceMonitors, comma-separated (each needs benchmarks named <n/1000>k)")
	count := flag.Int("count", 3, "rounds: runs of each benchmark, interleaved; the table shows medians and the range of the rounds' ratios")
	benchtime := flag.String("benchtime", "1x", "go test -benchtime of each run")
	flag.Parse()

	ns, err := parseSizes(*sizes)
	if err != nil {
		return err
	}
	root, err := filepath.Abs(*repo)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "vigil-bench-compat-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	args := []string{"run", "./hack/benchmanifests", "-o", dir}
	for _, n := range ns {
		args = append(args, strconv.Itoa(n))
	}
	if _, err := goCommand(root, nil, args...); err != nil {
		return fmt.Errorf("writing the manifests: %w", err)
	}

	r := runner{env: []string{manifestDirEnv + "=" + dir}, benchtime: *benchtime}
	compat := filepath.Join(root, "hack", "compat")
	load := loadAverage()
	var rows []row
	for _, n := range ns {
		name := fmt.Sprintf("BenchmarkGenerate%dkServiceMonitors", n/1000)
		var vigil, po, edit []result
		for range *count {
			for _, b := range []struct {
				dir, pkg, name string
				runs           *[]result
			}{
				{root, "./internal/promconfig", name, &vigil},
				{compat, "./oracle", name, &po},
				{root, "./internal/promconfig", name + "OneChanged", &edit},
			} {
				res, err := r.bench(b.dir, b.pkg, b.name)
				if err != nil {
					return err
				}
				*b.runs = append(*b.runs, res)
			}
		}
		rows = append(rows, row{n: n, vigil: vigil, po: po, edit: edit})
	}
	fmt.Printf("\nMedians of %d interleaved rounds (-benchtime %s), one benchmark per process, on %s;"+
		" ratios of the medians, then the lowest and highest ratio within one round; load average %s before, %s after.\n\n",
		*count, *benchtime, r.machine, load, loadAverage())
	fmt.Print(table(rows))
	return nil
}

func parseSizes(s string) ([]int, error) {
	var ns []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1000 || n%1000 != 0 {
			return nil, fmt.Errorf("-n: %q is not a multiple of 1000", f)
		}
		ns = append(ns, n)
	}
	return ns, nil
}
