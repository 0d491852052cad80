package oracle

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestKubePrometheusAlertmanagerAsOnACluster anchors the Alertmanager
// oracle in a real cluster: on kube-prometheus, its alertmanager.yaml is
// byte for byte the one Prometheus Operator 0.93.0 wrote on a real API
// server (po-reference), so the way it runs the controller is the
// operator's. It also checks that a refused AlertmanagerConfig is seen,
// and a reconcile that writes nothing is a SyncError, on the same server.
func TestKubePrometheusAlertmanagerAsOnACluster(t *testing.T) {
	s, err := StartAPIServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Error(err)
		}
	})
	ctx := context.Background()
	dir := filepath.Join("..", "..", "..", "..", "shared", "testdata", "kube-prometheus")
	objs, err := Load([]string{dir}, "default")
	if err != nil {
		t.Fatal(err)
	}
	am, err := Pick(objs.Alertmanagers, "monitoring/main", "default")
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Alertmanager(ctx, objs, am)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, "po-reference", "alertmanager.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(out.Config) != string(want) {
		t.Errorf("the oracle's alertmanager.yaml differs from Prometheus Operator's on a cluster (po-reference/alertmanager.yaml):\n%s", out.Config)
	}
	if len(out.Rejected) != 0 {
		t.Errorf("rejected: %v", out.Rejected)
	}

	t.Run("refused AlertmanagerConfig", func(t *testing.T) {
		objs := load(t, `apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: {name: main, namespace: monitoring}
spec: {alertmanagerConfigSelector: {}}
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: missing-secret, namespace: monitoring}
spec:
  route: {receiver: hook}
  receivers:
  - name: hook
    webhookConfigs: [{urlSecret: {name: nowhere, key: url}}]
`)
		out, err := s.Alertmanager(ctx, objs, objs.Alertmanagers[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Rejected) != 1 || out.Rejected[0].Name != "missing-secret" ||
			!regexp.MustCompile(`nowhere`).MatchString(out.Rejected[0].Reason) {
			t.Errorf("rejected = %v, want monitoring/missing-secret for its missing Secret", out.Rejected)
		}
	})
	t.Run("no configuration", func(t *testing.T) {
		objs := load(t, `apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: {name: main, namespace: monitoring}
spec: {alertmanagerConfiguration: {name: nowhere}}
`)
		_, err := s.Alertmanager(ctx, objs, objs.Alertmanagers[0])
		if se := (*SyncError)(nil); !errors.As(err, &se) {
			t.Errorf("err = %v, want a SyncError", err)
		}
	})
}

func load(t *testing.T, manifest string) *Objects {
	t.Helper()
	path := filepath.Join(t.TempDir(), "input.yaml")
	if err := os.WriteFile(path, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	objs, err := Load([]string{path}, "default")
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// TestEnvtestAssetsIsTheMakefiles keeps the folder a plain `go test` looks
// in where `make envtest-assets` puts the binaries.
func TestEnvtestAssetsIsTheMakefiles(t *testing.T) {
	makefile, err := os.ReadFile(filepath.Join("..", "..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^K8S_VERSION := (\S+)$`).FindSubmatch(makefile)
	if m == nil {
		t.Fatal("the Makefile sets no K8S_VERSION")
	}
	if want := "envtest-" + string(m[1]); EnvtestAssets != want {
		t.Errorf("EnvtestAssets = %q, the Makefile's envtest-assets makes %q", EnvtestAssets, want)
	}
}
