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
//
// Alertmanager configuration is generated where Prometheus Operator
// generates it, in its Alertmanager controller, whose selection, checks
// and handling of spec.alertmanagerConfiguration are not exported: an
// APIServer (etcd and kube-apiserver, controller-runtime's envtest, with
// Prometheus Operator's CRDs) holds the objects, the controller runs on it
// as its main sets it up, and the oracle reads the configuration Secret
// the controller's reconcile writes.
package oracle
