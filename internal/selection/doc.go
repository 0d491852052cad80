// Package selection decides which monitors, probes, scrape configs and rules
// a Prometheus object (and which AlertmanagerConfigs an Alertmanager)
// selects, and says why an object is not selected.
//
// The semantics are Prometheus Operator's:
//   - a nil resource selector selects nothing; an empty one ({}) selects
//     everything;
//   - a nil namespace selector means the owner's own namespace; an empty one
//     means every namespace;
//   - ignoreNamespaceSelectors does not change selection: Prometheus
//     Operator uses it only to keep each monitor's target discovery to the
//     monitor's own namespace (pkg/prometheus/promcfg.go:2437-2446), which
//     package promconfig does.
//
// It is pure: namespaces and objects come in as plain values.
package selection
