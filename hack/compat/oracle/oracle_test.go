package oracle

import (
	"os"
	"path/filepath"
	"testing"
)

// TestKubePrometheusAsOnACluster anchors the oracle in a real cluster: on
// kube-prometheus, its prometheus.yaml is byte for byte the one Prometheus
// Operator 0.93.0 wrote on a real API server (po-reference), so the way it
// serves objects, applies CRD defaults and sets the generator's options is
// the operator's.
func TestKubePrometheusAsOnACluster(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "..", "shared", "testdata", "kube-prometheus")
	objs, err := Load([]string{dir}, "default")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Pick(objs.Prometheuses, "monitoring/k8s", "default")
	if err != nil {
		t.Fatal(err)
	}
	out, err := Prometheus(objs, p)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, "po-reference", "prometheus.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(out.Config) != string(want) {
		t.Errorf("the oracle's prometheus.yaml differs from Prometheus Operator's on a cluster (po-reference/prometheus.yaml):\n%s", out.Config)
	}
	if len(out.Rejected) != 0 {
		t.Errorf("rejected: %v", out.Rejected)
	}
}
