// benchscale runs Vigil's operator and Prometheus Operator v0.93.0's, one
// after the other, against one real API server (etcd and kube-apiserver,
// as envtest starts them), with N ServiceMonitors of two endpoints each and
// N Services, and prints one table of ratios, Vigil / Prometheus Operator:
//
//   - converge: from the last object created to the generated Secret
//     holding every ServiceMonitor's jobs;
//   - edit: one ServiceMonitor's interval changed to the Secret saying so
//     (the median of several edits, made once the operator is quiet);
//   - peak RSS and CPU seconds of the operator's process over its run;
//   - API writes over the run (from the API server's audit log), and the
//     writes after an input that changes nothing.
//
// Both operators watch every namespace and run as themselves (users of
// their own, so the audit log tells their writes apart); between two runs
// every object is deleted, so each starts on an empty cluster holding the
// Prometheus object only. The input is internal/benchinput's, the one the
// generator benchmarks use, with a Service per ServiceMonitor.
//
//	benchscale -vigil BIN -prometheus-operator BIN [-n 1000,5000] [-out DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	vigil, po string
	vigilArgs []string
	only      string
	sizes     []int
	edits     int
	quiet     time.Duration
	out       string
}

func main() {
	var o options
	sizes := flag.String("n", "1000,5000", "numbers of ServiceMonitors, comma-separated")
	flag.StringVar(&o.vigil, "vigil", "", "Vigil's operator binary")
	flag.StringVar(&o.po, "prometheus-operator", "", "Prometheus Operator's binary (v0.93.0)")
	flag.Func("vigil-flag", "a flag for Vigil's operator, such as --pprof-bind-address=127.0.0.1:6060 (repeatable)", func(s string) error {
		o.vigilArgs = append(o.vigilArgs, s)
		return nil
	})
	flag.StringVar(&o.only, "only", "", "run only this operator (Vigil or \"Prometheus Operator\"), to profile it")
	flag.IntVar(&o.edits, "edits", 5, "ServiceMonitors edited one at a time, per run")
	flag.DurationVar(&o.quiet, "quiet", 5*time.Second, "an operator that wrote nothing for this long is quiet")
	flag.StringVar(&o.out, "out", "", "folder for the operators' logs and the audit log (a temporary one by default)")
	flag.Parse()
	if o.vigil == "" || o.po == "" {
		fmt.Fprintln(os.Stderr, "usage: benchscale -vigil BIN -prometheus-operator BIN [-n 1000,5000] [-out DIR]")
		os.Exit(2)
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "benchscale: -n: %q is not a number of ServiceMonitors\n", s)
			os.Exit(2)
		}
		o.sizes = append(o.sizes, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "benchscale:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	if o.out == "" {
		dir, err := os.MkdirTemp("", "benchscale-")
		if err != nil {
			return err
		}
		o.out = dir
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	c, err := startCluster(ctx, o.out)
	if err != nil {
		return err
	}
	defer c.stop()
	operators, err := c.operators(o)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "logs and the audit log in %s\n", o.out)
	var results []result
	for _, n := range o.sizes {
		for _, op := range operators {
			if o.only != "" && op.name != o.only {
				continue
			}
			if len(results) > 0 {
				progress("emptying the API server")
				if err := c.empty(ctx); err != nil {
					return err
				}
			}
			progress("%s, %d ServiceMonitors:", op.name, n)
			r, err := c.measure(ctx, op, n, o)
			if err != nil {
				return fmt.Errorf("%s, %d ServiceMonitors: %w", op.name, n, err)
			}
			results = append(results, r)
		}
	}
	printTable(os.Stdout, results)
	return nil
}
