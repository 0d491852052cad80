// Package compare loads two prometheus.yaml files, Vigil's and Prometheus
// Operator's, with Prometheus's own loader and compares them job by job:
// job names, discovery, scrape settings with the values inherited from
// global: resolved, relabel and metric relabel rules in order, TLS and
// auth. The top-level sections (global, alerting, remote write and read,
// storage, ...) are compared the same way. Alertmanager compares two
// alertmanager.yaml files the same way, loaded with Alertmanager's loader:
// route tree, receivers, inhibit rules, time intervals, global, templates.
//
// The differences Vigil keeps on purpose are the Allowances below, each
// with its reason; the README's compatibility table lists the same ones.
// Comparison applies exactly those and reports everything else.
package compare
