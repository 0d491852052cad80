// Package promconfig generates prometheus.yaml for a Prometheus object from
// the ServiceMonitors, PodMonitors, Probes and ScrapeConfigs it selects.
//
// It is pure: the caller passes the Prometheus object, the selected objects,
// the namespaces and a Store that resolves Secret and ConfigMap keys; the
// result is the configuration's bytes and the objects left out, each with
// the reason, for the caller to put into status.
//
// The generated jobs keep Prometheus Operator's names
// (serviceMonitor/<ns>/<name>/<i>, podMonitor/<ns>/<name>/<i>,
// probe/<ns>/<name>, scrapeConfig/<ns>/<name>) and its relabel rules in the
// same order, so targets get the same labels. Each kind of object has its
// own file and function; the YAML is written by an encoder from the typed
// structures in config_types.go, never by joining strings.
//
// Each object's jobs are checked by Prometheus's own parser with the
// global settings, and an object whose jobs do not load is left out, so one
// bad object never breaks the configuration of the others. So is an object
// whose job name is already taken (by the Prometheus object's
// additionalScrapeConfigs, which win, or by an object before it in the
// job order), and an object the input holds twice. The assembled file
// must then load as a whole: its parts' loads prove it does when the job
// names Prometheus read in them are distinct and the file has the shape
// the proof needs (see composes); otherwise it is loaded once more. If it
// does not load, Generate returns an error, never a configuration
// Prometheus would refuse.
//
// Objects are built, encoded and loaded on GOMAXPROCS workers, the output
// not depending on their number. A Cache keeps each object's encoded jobs
// and Prometheus's verdict on them, keyed by what they depend on (see
// memo.go), so that a call after an edit builds, encodes and loads only
// what changed.
package promconfig
