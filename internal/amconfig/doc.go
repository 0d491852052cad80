// Package amconfig builds Alertmanager's configuration (alertmanager.yaml)
// for one Alertmanager object: its base configuration from the Secret that
// spec.configSecret names, merged with the AlertmanagerConfig objects the
// Alertmanager selects, as Prometheus Operator does.
//
// Each AlertmanagerConfig becomes one first-level route of the root route,
// placed before the base configuration's own routes and set to continue, so
// that every object sees the alerts it matches and the base routes still do.
// Its receivers and time intervals are renamed <namespace>/<name>/<name> so
// objects cannot collide or refer to each other's, and, unless the
// Alertmanager's alertmanagerConfigMatcherStrategy says otherwise, its route
// and inhibition rules only match alerts whose namespace label is the
// object's namespace.
//
// The package is pure: the caller passes the Alertmanager, the base
// configuration's bytes, the selected AlertmanagerConfigs and a Store that
// resolves Secret and ConfigMap keys (only ever in the referring object's
// namespace); GenerateFrom first chooses that base as Prometheus Operator
// does, from the Secret or from the AlertmanagerConfig that
// spec.alertmanagerConfiguration names. Output is deterministic and built
// with a YAML encoder from typed values, never by concatenating strings.
//
// Bad input never breaks anyone else's alerting: an AlertmanagerConfig that
// cannot be converted, or that would make the merged configuration fail
// Alertmanager's own loader, is left out and reported as a Rejection; a base
// configuration that does not load is an error for the whole Alertmanager
// (ErrInvalidBase). The returned configuration always loads with
// github.com/prometheus/alertmanager/config.Load.
package amconfig
