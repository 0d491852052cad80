package benchinput

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// ManifestDirEnv names the folder holding bench-<n>.yaml files that the
// benchmarks read instead of writing their own; hack/compat's benchmarks
// spell the same name.
const ManifestDirEnv = "VIGIL_BENCH_MANIFEST_DIR"

// Namespaces is how many namespaces the ServiceMonitors are spread over.
const Namespaces = 50

// Prometheus is the Prometheus object the manifest holds, as
// namespace/name.
const Prometheus = "monitoring/main"

// FileName is the manifest's file name for n ServiceMonitors.
func FileName(n int) string { return fmt.Sprintf("bench-%d.yaml", n) }

// Write writes the manifest for n ServiceMonitors into dir and returns
// its path.
func Write(dir string, n int) (string, error) {
	path := filepath.Join(dir, FileName(n))
	if err := os.WriteFile(path, Manifest(n), 0o644); err != nil {
		return "", fmt.Errorf("writing the benchmark manifest: %w", err)
	}
	return path, nil
}

// Manifest is the multi-document YAML for n ServiceMonitors: the
// Prometheus, its namespace, the 50 team namespaces, then
// ServiceMonitors app-00000 to app-<n-1>, in that order.
func Manifest(n int) []byte {
	var b bytes.Buffer
	b.WriteString(prometheus)
	b.WriteString("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n")
	for i := range Namespaces {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n", namespace(i))
	}
	for i := range n {
		name := fmt.Sprintf("app-%05d", i)
		fmt.Fprintf(&b, serviceMonitor, name, namespace(i), name, namespace(i))
	}
	return b.Bytes()
}

func namespace(i int) string { return fmt.Sprintf("team-%02d", i%Namespaces) }

const prometheus = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: main
  namespace: monitoring
spec:
  externalLabels:
    cluster: bench
  serviceMonitorSelector: {}
  serviceMonitorNamespaceSelector: {}
  podMonitorSelector: {}
  podMonitorNamespaceSelector: {}
  probeSelector: {}
  probeNamespaceSelector: {}
  scrapeConfigSelector: {}
  scrapeConfigNamespaceSelector: {}
`

// serviceMonitor takes the name, the namespace, the name (for the app
// label) and the namespace (for namespaceSelector).
const serviceMonitor = `---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: %s
  namespace: %s
  labels:
    release: prod
spec:
  selector:
    matchLabels:
      app: %s
      tier: backend
  namespaceSelector:
    matchNames: [%s]
  endpoints:
  - port: web
    interval: 30s
    path: /metrics
    relabelings:
    - sourceLabels: [__meta_kubernetes_pod_node_name]
      targetLabel: node
    metricRelabelings:
    - sourceLabels: [__name__]
      regex: go_gc_.*
      action: drop
  - port: admin
    interval: 1m
    path: /metrics
    relabelings:
    - sourceLabels: [__meta_kubernetes_pod_node_name]
      targetLabel: node
    metricRelabelings:
    - sourceLabels: [__name__]
      regex: go_gc_.*
      action: drop
`
