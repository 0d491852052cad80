package promconfig

import (
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/prometheus/storage/remote/azuread"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// TestRemoteWriteAzureAD: each way of authenticating to Azure AD reaches
// Prometheus as it loads it, with the OAuth secret read from the Prometheus
// object's namespace.
func TestRemoteWriteAzureAD(t *testing.T) {
	const clientID, tenantID = "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"
	for _, tc := range []struct {
		name string
		in   monitoringv1.AzureAD
		want azuread.AzureADConfig
	}{
		{"system-assigned managed identity", monitoringv1.AzureAD{ManagedIdentity: &monitoringv1.ManagedIdentity{}},
			azuread.AzureADConfig{ManagedIdentity: &azuread.ManagedIdentityConfig{}, Cloud: "AzurePublic"}},
		{"user-assigned managed identity in another cloud", monitoringv1.AzureAD{Cloud: ptr("AzureChina"),
			ManagedIdentity: &monitoringv1.ManagedIdentity{ClientID: ptr(clientID)}},
			azuread.AzureADConfig{ManagedIdentity: &azuread.ManagedIdentityConfig{ClientID: clientID}, Cloud: "AzureChina"}},
		{"OAuth", monitoringv1.AzureAD{OAuth: &monitoringv1.AzureOAuth{ClientID: clientID, TenantID: tenantID,
			ClientSecret: *secretKey("azure", "secret")}},
			azuread.AzureADConfig{OAuth: &azuread.OAuthConfig{ClientID: clientID, ClientSecret: "app-secret", TenantID: tenantID}, Cloud: "AzurePublic"}},
		{"SDK with a scope", monitoringv1.AzureAD{SDK: &monitoringv1.AzureSDK{TenantID: ptr(tenantID)}, Scope: ptr("https://monitor.azure.com//.default")},
			azuread.AzureADConfig{SDK: &azuread.SDKConfig{TenantID: tenantID}, Cloud: "AzurePublic", Scope: "https://monitor.azure.com//.default"}},
		{"workload identity", monitoringv1.AzureAD{WorkloadIdentity: &monitoringv1.AzureWorkloadIdentity{ClientID: clientID, TenantID: tenantID}},
			azuread.AzureADConfig{WorkloadIdentity: &azuread.WorkloadIdentityConfig{ClientID: clientID, TenantID: tenantID,
				TokenFilePath: azuread.DefaultWorkloadIdentityTokenPath}, Cloud: "AzurePublic"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Prometheus takes the token file from the environment when set.
			t.Setenv(azuread.AzureFederatedTokenFileEnvVar, "")
			g := NewWithT(t)
			in := Input{
				Prometheus: newPrometheus(func(p *monitoringv1.Prometheus) {
					p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{URL: "https://rw.example.com", AzureAD: &tc.in}}
				}),
				Store: newMapStore().withSecret(promNamespace, "azure", map[string]string{"secret": "app-secret"}),
			}
			cfg := load(t, mustGenerate(t, in).Config)
			g.Expect(cfg.RemoteWriteConfigs).To(HaveLen(1))
			g.Expect(cfg.RemoteWriteConfigs[0].AzureADConfig).To(HaveValue(Equal(tc.want)))
		})
	}
}
