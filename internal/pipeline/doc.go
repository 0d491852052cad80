// Package pipeline is the one way from the API's objects to what a
// reconcile writes. For one Prometheus (or Alertmanager) and a Snapshot of
// the objects it may select, it selects, generates and checks, and returns
// everything the reconcile writes (prometheus.yaml, the rule ConfigMaps,
// alertmanager.yaml), a Decision per selected object (accepted, or rejected
// with a typed reason for conditions and Events and the wrapped error), and
// the exact Secret and ConfigMap keys it read, so that the operator watches
// only those and maps a change back to its owners.
//
// vigilctl and the controllers call only this package; it never talks to
// the API server. The generators it calls (promconfig, rules, amconfig)
// resolve every reference with one rule set, assets.Resolver.
package pipeline
