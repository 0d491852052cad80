package oracle

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadDecodesOnlyWhatTheDocumentSets guards against sigs.k8s.io/yaml's
// decoding, which allocated a Probe's spec.tlsConfig (empty Secret
// selectors) when its oauth2 had a tlsConfig, so that Prometheus Operator
// refused the Probe.
func TestLoadDecodesOnlyWhatTheDocumentSets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "probe.yaml")
	manifest := `apiVersion: monitoring.coreos.com/v1
kind: Probe
metadata: {name: p, namespace: team-a}
spec:
  prober: {url: "blackbox:9115"}
  targets: {staticConfig: {static: ["https://example.com"]}}
  oauth2:
    clientId: {secret: {name: auth, key: id}}
    clientSecret: {name: auth, key: secret}
    tokenUrl: https://auth.example.com/token
    tlsConfig:
      ca: {secret: {name: auth, key: ca.crt}}
`
	if err := os.WriteFile(path, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	objs, err := Load([]string{path}, "default")
	if err != nil {
		t.Fatal(err)
	}
	p := objs.Probes[0]
	if p.Spec.TLSConfig != nil {
		t.Errorf("spec.tlsConfig = %+v, want none: the document sets only spec.oauth2.tlsConfig", *p.Spec.TLSConfig)
	}
	if p.Spec.OAuth2 == nil || p.Spec.OAuth2.TLSConfig == nil || p.Spec.OAuth2.TLSConfig.CA.Secret == nil {
		t.Errorf("spec.oauth2.tlsConfig.ca.secret is lost: %+v", p.Spec.OAuth2)
	}
}
