// Package reloader is the config-reloader sidecar's work: it puts the
// configuration the operator generated where Prometheus or Alertmanager
// reads it, and asks them to reload it.
//
// The configuration comes from its Secret and the rule ConfigMaps, watched
// through the API with the pod's service account, so that a change does
// not wait for the kubelet's volume sync (a minute or more); it can also
// come from mounted files. The configuration is gunzipped when its key or
// file ends in .gz, $(VAR) references are replaced by the environment's
// values (the operator leaves $(SHARD) and $(POD_NAME) for each pod), and
// every file is written atomically (a temporary file renamed into place),
// so Prometheus never reads half a file. Then POST /-/reload is called,
// retried with backoff until it succeeds. Metrics keep Prometheus
// Operator's names (reloader_reloads_total, reloader_last_reload_successful,
// ...), which kube-prometheus's alerts read.
package reloader
