// Package workload builds what runs Prometheus and Alertmanager: for one
// Prometheus object its StatefulSets (one per shard), for one Alertmanager
// its StatefulSet, the governing Services prometheus-operated and
// alertmanager-operated, the web configuration Secrets, and the Role and
// RoleBinding the config-reloader reads the configuration with. It is
// pure: objects in, objects out; the reconcilers apply them.
package workload
