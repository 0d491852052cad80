// Package crdfields compares Prometheus Operator's CRDs with Vigil's, field
// path by field path, to say which parts of the monitoring.coreos.com API
// Vigil does not serve yet.
//
// Every CRD version's openAPIV3Schema is flattened into field paths such as
// "spec.remoteWrite[].queueConfig.maxShards": "[]" stands for the items of an
// array and "{}" for the values of a map (additionalProperties). Each path
// carries the JSON type the API server accepts there. Comparing the two sets
// gives three lists:
//
//   - unserved: paths Prometheus Operator has and Vigil lacks. They are checked
//     in as testdata/unserved-fields.txt, the team's list of what is left to
//     serve; TestUnservedFieldsList fails when the list drifts and
//     `go test ./crdfields -update` rewrites it.
//   - extra: paths Vigil has and Prometheus Operator lacks. A manifest using
//     one would be refused by Prometheus Operator, so each is a compatibility
//     bug unless testdata/allowed-differences.txt gives a reason.
//   - type mismatches: paths both have with different types, held to the same
//     allowlist.
//
// Prometheus Operator's CRDs come from its own module (the "full" CRDs its
// example package embeds), so the comparison follows the version pinned in
// hack/compat/go.mod. `go run ./crdfields/cmd/crdfields` prints the report.
package crdfields
