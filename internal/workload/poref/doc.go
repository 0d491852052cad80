// Package poref compares Vigil's StatefulSets and governing Services for
// kube-prometheus with what Prometheus Operator 0.93 created for the same
// input (testdata/kube-prometheus/po-reference), field path by field path,
// and holds the one list of the differences kept on purpose, each with its
// reason.
//
// It is test support: internal/workload's tests compare what the builders
// make, the controllers' tests what the reconcilers write, with the same
// comparison and the same list, so the two cannot drift apart.
package poref
