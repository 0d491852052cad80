// Package benchinput writes the manifest Vigil's generator benchmarks run
// on: a Prometheus that selects every monitor in every namespace, the
// Namespaces, and n ServiceMonitors spread over 50 namespaces with two
// endpoints each (a named port, an interval, a relabeling and a metric
// relabeling), a two-label selector and a namespaceSelector.
//
// The manifest is the benchmarks' only definition of their input: `make
// bench-compat` writes it once (hack/benchmanifests) and gives the same
// file to Vigil's benchmarks (internal/promconfig) and to Prometheus
// Operator's (hack/compat/oracle), which cannot share Go code with
// Vigil's module.
package benchinput
