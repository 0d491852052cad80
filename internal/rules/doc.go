// Package rules turns the PrometheusRules a Prometheus object selected into
// the rule files Prometheus loads, and packs those files into ConfigMaps.
//
// It is a pure builder: plain values in, plain values out, no client, no
// clock, no randomness, and the same input always gives the same bytes.
//
// Generate renders one file per PrometheusRule, named
// <namespace>-<name>-<uid>.yaml as Prometheus Operator names them, from typed
// structs through a YAML encoder (user strings never reach the file any other
// way). When the Prometheus object sets enforcedNamespaceLabel, every vector
// selector of every expression gets the matcher <label>="<namespace>" and
// every rule the label <label>: <namespace>, unless the object is listed in
// excludedFromEnforcement. Each file is then loaded with Prometheus's own
// rule-file parser (model/rulefmt), which also parses the PromQL and the
// alert templates. An object whose file would not load, or would not fit in a
// ConfigMap, is left out and returned as a Rejection with its reason, for the
// caller to turn into a status condition and an Event; the other objects are
// unaffected.
//
// Pack puts the accepted files into ConfigMaps named
// prometheus-<name>-rulefiles-<n> holding at most MaxConfigMapDataSize bytes
// of data each, files in name order, so the split is stable.
package rules
