package v1_test

import (
	"os"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"

	. "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// TestKubePrometheusWorkloadsDecode decodes kube-prometheus's Prometheus and
// Alertmanager strictly, so a field these types lack fails the test instead
// of being dropped.
func TestKubePrometheusWorkloadsDecode(t *testing.T) {
	tests := []struct {
		file  string
		into  runtime.Object
		check func(t *testing.T, obj runtime.Object)
	}{
		{
			file: "prometheus-prometheus.yaml",
			into: &Prometheus{},
			check: func(t *testing.T, obj runtime.Object) {
				p := obj.(*Prometheus)
				if p.Spec.Replicas == nil || *p.Spec.Replicas != 2 {
					t.Errorf("spec.replicas = %v, want 2", p.Spec.Replicas)
				}
				if p.Spec.ServiceDiscoveryRole == nil || *p.Spec.ServiceDiscoveryRole != EndpointSliceRole {
					t.Errorf("spec.serviceDiscoveryRole = %v, want %s", p.Spec.ServiceDiscoveryRole, EndpointSliceRole)
				}
				// {} must survive as an empty, non-nil selector: it selects
				// everything, where nil selects nothing.
				selectors := map[string]bool{
					"serviceMonitorSelector":          p.Spec.ServiceMonitorSelector != nil,
					"serviceMonitorNamespaceSelector": p.Spec.ServiceMonitorNamespaceSelector != nil,
					"podMonitorSelector":              p.Spec.PodMonitorSelector != nil,
					"podMonitorNamespaceSelector":     p.Spec.PodMonitorNamespaceSelector != nil,
					"probeSelector":                   p.Spec.ProbeSelector != nil,
					"probeNamespaceSelector":          p.Spec.ProbeNamespaceSelector != nil,
					"scrapeConfigSelector":            p.Spec.ScrapeConfigSelector != nil,
					"scrapeConfigNamespaceSelector":   p.Spec.ScrapeConfigNamespaceSelector != nil,
					"ruleSelector":                    p.Spec.RuleSelector != nil,
					"ruleNamespaceSelector":           p.Spec.RuleNamespaceSelector != nil,
				}
				for name, set := range selectors {
					if !set {
						t.Errorf("spec.%s is nil, want an empty selector", name)
					}
				}
				if p.Spec.Alerting == nil || len(p.Spec.Alerting.Alertmanagers) != 1 {
					t.Fatalf("spec.alerting.alertmanagers = %+v, want one entry", p.Spec.Alerting)
				}
				am := p.Spec.Alerting.Alertmanagers[0]
				if am.Name != "alertmanager-main" || am.Port.String() != "web" || am.APIVersion == nil || *am.APIVersion != "v2" {
					t.Errorf("spec.alerting.alertmanagers[0] = %+v, want alertmanager-main, port web, apiVersion v2", am)
				}
				if got := p.Spec.SecurityContext; got == nil || got.RunAsUser == nil || *got.RunAsUser != 1000 {
					t.Errorf("spec.securityContext = %+v, want runAsUser 1000", got)
				}
				if got := p.Spec.PodMetadata; got == nil || got.Labels["app.kubernetes.io/name"] != "prometheus" {
					t.Errorf("spec.podMetadata = %+v, want the app.kubernetes.io/name label", got)
				}
			},
		},
		{
			file: "alertmanager-alertmanager.yaml",
			into: &Alertmanager{},
			check: func(t *testing.T, obj runtime.Object) {
				a := obj.(*Alertmanager)
				if a.Spec.Replicas == nil || *a.Spec.Replicas != 3 {
					t.Errorf("spec.replicas = %v, want 3", a.Spec.Replicas)
				}
				if a.Spec.AlertmanagerConfigSelector == nil {
					t.Error("spec.alertmanagerConfigSelector is nil, want an empty selector")
				}
				if a.Spec.AlertmanagerConfigNamespaceSelector != nil {
					t.Errorf("spec.alertmanagerConfigNamespaceSelector = %v, want nil (own namespace)", a.Spec.AlertmanagerConfigNamespaceSelector)
				}
				if a.Spec.ServiceAccountName != "alertmanager-main" {
					t.Errorf("spec.serviceAccountName = %q, want alertmanager-main", a.Spec.ServiceAccountName)
				}
				if got := a.Spec.Resources.Limits.Memory().String(); got != "100Mi" {
					t.Errorf("spec.resources.limits.memory = %s, want 100Mi", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(testenv.KubePrometheusDir(), tt.file))
			if err != nil {
				t.Fatalf("Read test input: %v", err)
			}
			docs, err := manifest.Documents(data)
			if err != nil || len(docs) != 1 {
				t.Fatalf("Read %s: %d documents, %v", tt.file, len(docs), err)
			}
			if err := manifest.DecodeStrict(docs[0], tt.into); err != nil {
				t.Fatalf("Strict decode of %s: %v", tt.file, err)
			}
			tt.check(t, tt.into)
		})
	}
}
