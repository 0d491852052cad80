// Package selection decides which monitors, probes, scrape configs and rules
// a Prometheus object (and which AlertmanagerConfigs an Alertmanager)
// selects, and says why an object is not selected.
//
// The semantics are Prometheus Operator's:
//   - a nil resource selector selects nothing; an empty one ({}) selects
//     everything;
//   - a nil namespace selector means the owner's own namespace; an empty one
//     means every namespace;
//   - ignoreNamespaceSelectors restricts every selector to the owner's
//     namespace.
//
// It is pure: namespaces and objects come in as plain values.
package selection
