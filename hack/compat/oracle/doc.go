// Package oracle runs Prometheus Operator v0.93.0's own selection and
// configuration generators on a set of manifests, as its operator would
// on a cluster holding them, so that Vigil's output can be compared with
// it. It is test tooling: it lives in its own module (hack/compat) with
// Prometheus Operator's dependency versions, and Vigil's module never
// imports it.
//
// The objects are served to Prometheus Operator's code through fake
// clientsets and real informers, the same interfaces its operator reads a
// cluster through; the call sequence follows the operator's reconcile of a
// Prometheus: select monitors, probes, scrape configs and rules, load the
// additional configs from Secrets, then generate. ServiceMonitorGenerator
// is the ServiceMonitor part of it alone, set up once, for benchmarks.
package oracle
