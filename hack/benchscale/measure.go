package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// result is what one run of one operator measured.
type result struct {
	operator string
	n        int
	converge time.Duration   // last object created -> every job in the Secret
	settle   time.Duration   // last object created -> the operator's last write
	edits    []time.Duration // each edit -> the Secret saying so
	usage    usage
	writes   []write // over the run
	// unchanged are the writes after an input that changes nothing.
	unchanged []write
}

// The generated Secret, as both operators name it.
const configKey = "prometheus.yaml.gz"

func configSecret(p *monitoringv1.Prometheus) types.NamespacedName {
	return types.NamespacedName{Namespace: p.Namespace, Name: "prometheus-" + p.Name}
}

// jobs counts the ServiceMonitor jobs of a prometheus.yaml.
func jobs(cfg string) int { return strings.Count(cfg, "\n- job_name: serviceMonitor/") }

// measure runs op on n ServiceMonitors.
func (c *cluster) measure(ctx context.Context, op operator, n int, o options) (r result, err error) {
	r = result{operator: op.name, n: n}
	in, err := newInput(n)
	if err != nil {
		return r, err
	}
	if err := c.createBase(ctx, in); err != nil {
		return r, err
	}
	audit, err := newAuditTail(c.audit, op.user)
	if err != nil {
		return r, err
	}
	p, err := start(ctx, op, c.dir, n)
	if err != nil {
		return r, err
	}
	defer func() {
		if u, serr := p.stop(); err == nil {
			r.usage, err = u, serr
		}
		ws, perr := audit.poll()
		r.writes = ws
		err = errors.Join(err, perr)
	}()
	key := configSecret(in.prometheus)

	progress("  waiting for the first configuration")
	if _, err := c.waitConfig(ctx, p, key, 2*time.Minute, func(cfg string) bool { return cfg != "" && jobs(cfg) == 0 }); err != nil {
		return r, err
	}
	progress("  creating %d Services and %d ServiceMonitors", n, n)
	creating := time.Now()
	if err := c.createMonitors(ctx, in); err != nil {
		return r, err
	}
	last := time.Now()
	progress("  created in %.1f s", last.Sub(creating).Seconds())
	seen, err := c.waitConfig(ctx, p, key, 15*time.Minute, func(cfg string) bool { return jobs(cfg) == 2*n })
	if err != nil {
		return r, err
	}
	r.converge = seen.Sub(last)
	progress("  converged %.2f s after the last object was created; waiting until it writes nothing for %s", r.converge.Seconds(), o.quiet)
	lastWrite, err := c.waitQuiet(ctx, p, audit, last, o.quiet)
	if err != nil {
		return r, err
	}
	r.settle = lastWrite.Sub(last)

	for k := 1; k <= o.edits; k++ {
		m := in.monitors[(k*7919)%n]
		interval := fmt.Sprintf("%ds", 40+k) // no other job has it
		cur := &monitoringv1.ServiceMonitor{}
		if err := c.client.Get(ctx, client.ObjectKeyFromObject(m), cur); err != nil {
			return r, err
		}
		cur.Spec.Endpoints[0].Interval = monitoringv1.Duration(interval)
		if err := c.client.Update(ctx, cur); err != nil {
			return r, err
		}
		edited := time.Now()
		seen, err := c.waitConfig(ctx, p, key, 5*time.Minute, func(cfg string) bool { return strings.Contains(cfg, "scrape_interval: "+interval+"\n") })
		if err != nil {
			return r, err
		}
		r.edits = append(r.edits, seen.Sub(edited))
		progress("  edit %d: the Secret changed %.3f s after", k, seen.Sub(edited).Seconds())
		if _, err := c.waitQuiet(ctx, p, audit, edited, o.quiet); err != nil {
			return r, err
		}
	}

	// An input that changes nothing, which both operators watch: an
	// annotation on a ServiceMonitor and on its Namespace. (Not on the
	// Prometheus object: its annotations go onto the StatefulSet.)
	touched := time.Now()
	patch := client.RawPatch(types.MergePatchType, []byte(`{"metadata":{"annotations":{"bench.vigil.dev/touched":"`+touched.Format(time.RFC3339Nano)+`"}}}`))
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: in.monitors[0].Namespace}}
	for _, obj := range []client.Object{in.monitors[0].DeepCopy(), ns} {
		if err := c.client.Patch(ctx, obj, patch); err != nil {
			return r, err
		}
	}
	// Long enough for a reconcile of the whole input to end (the slowest
	// edit took less), and quiet after.
	window := 10 * time.Second
	for _, e := range r.edits {
		window = max(window, 3*e)
	}
	if err := sleep(ctx, window); err != nil {
		return r, err
	}
	if _, err := c.waitQuiet(ctx, p, audit, touched, o.quiet); err != nil {
		return r, err
	}
	ws, err := audit.poll()
	if err != nil {
		return r, err
	}
	r.unchanged = since(ws, touched)
	progress("  %d writes after the unchanged input", len(r.unchanged))
	return r, nil
}

// waitConfig watches the generated Secret until its prometheus.yaml
// satisfies ok and returns when it saw that.
func (c *cluster) waitConfig(ctx context.Context, p *process, key types.NamespacedName, timeout time.Duration, ok func(string) bool) (time.Time, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, fmt.Errorf("Secret %s: not the expected configuration after %s", key, timeout))
	defer cancel()
	go func() {
		select {
		case <-p.exited:
			cancel()
		case <-ctx.Done():
		}
	}()
	secrets := c.kube.CoreV1().Secrets(key.Namespace)
	sel := metav1.ListOptions{FieldSelector: "metadata.name=" + key.Name}
	for {
		list, err := secrets.List(ctx, sel)
		if err != nil {
			return time.Time{}, stopped(ctx, p, err)
		}
		for i := range list.Items {
			if ok(gunzip(list.Items[i].Data[configKey])) {
				return time.Now(), nil
			}
		}
		w, err := secrets.Watch(ctx, metav1.ListOptions{FieldSelector: sel.FieldSelector, ResourceVersion: list.ResourceVersion})
		if err != nil {
			return time.Time{}, stopped(ctx, p, err)
		}
		for ev := range w.ResultChan() {
			if s, isSecret := ev.Object.(*corev1.Secret); isSecret && (ev.Type == watch.Added || ev.Type == watch.Modified) {
				if ok(gunzip(s.Data[configKey])) {
					w.Stop()
					return time.Now(), nil
				}
			}
		}
		w.Stop()
		if ctx.Err() != nil {
			return time.Time{}, stopped(ctx, p, ctx.Err())
		}
		// The watch ended (a timeout or an expired version): list again.
	}
}

// stopped says why a wait ended early: the operator exited, or ctx's
// cause.
func stopped(ctx context.Context, p *process, err error) error {
	if perr := p.failed(); perr != nil {
		return perr
	}
	if cause := context.Cause(ctx); cause != nil {
		return cause
	}
	return err
}

// waitQuiet waits until the operator has written nothing for quiet (and
// quiet has passed since from), and returns the time of its last write
// after from, or from.
func (c *cluster) waitQuiet(ctx context.Context, p *process, audit *auditTail, from time.Time, quiet time.Duration) (time.Time, error) {
	deadline := time.Now().Add(15 * time.Minute)
	for {
		ws, err := audit.poll()
		if err != nil {
			return time.Time{}, err
		}
		last := from
		for _, w := range ws {
			if w.at.After(last) {
				last = w.at
			}
		}
		if time.Since(last) >= quiet {
			return last, nil
		}
		if err := p.failed(); err != nil {
			return time.Time{}, err
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("still writing 15 minutes on (last write %s)", last.Format(time.RFC3339))
		}
		if err := sleep(ctx, 250*time.Millisecond); err != nil {
			return time.Time{}, err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

func gunzip(data []byte) string {
	if len(data) == 0 {
		return ""
	}
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return ""
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return ""
	}
	return string(out)
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func progress(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
