package promconfig

import (
	"testing"

	. "github.com/onsi/gomega"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// TestFileReferencePolicy: file references make Prometheus read its own
// filesystem (its service-account token, say) and send it to the target.
// They are honoured for objects in the Prometheus object's namespace and
// refused from any other, and everywhere with arbitraryFSAccessThroughSMs.
// deny; a refused object is left out with a reason naming the policy, and
// the other objects stay.
func TestFileReferencePolicy(t *testing.T) {
	const token = "/var/run/secrets/kubernetes.io/serviceaccount/token"
	const ca = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
	fileRefs := []struct {
		name string
		set  func(ep *monitoringv1.Endpoint)
		// check says the loaded job uses the file.
		check func(g Gomega, c *configJob)
	}{
		{"bearerTokenFile", func(ep *monitoringv1.Endpoint) { ep.BearerTokenFile = token },
			func(g Gomega, c *configJob) {
				g.Expect(c.HTTPClientConfig.Authorization).NotTo(BeNil())
				g.Expect(c.HTTPClientConfig.Authorization.CredentialsFile).To(Equal(token))
			}},
		{"tlsConfig.caFile", func(ep *monitoringv1.Endpoint) {
			ep.TLSConfig = &monitoringv1.TLSConfig{TLSFilesConfig: monitoringv1.TLSFilesConfig{CAFile: ca}}
		}, func(g Gomega, c *configJob) { g.Expect(c.HTTPClientConfig.TLSConfig.CAFile).To(Equal(ca)) }},
		{"tlsConfig.certFile and keyFile", func(ep *monitoringv1.Endpoint) {
			ep.TLSConfig = &monitoringv1.TLSConfig{TLSFilesConfig: monitoringv1.TLSFilesConfig{
				CertFile: "/etc/prometheus/certs/tls.crt", KeyFile: "/etc/prometheus/certs/tls.key"}}
		}, func(g Gomega, c *configJob) {
			g.Expect(c.HTTPClientConfig.TLSConfig.CertFile).To(Equal("/etc/prometheus/certs/tls.crt"))
			g.Expect(c.HTTPClientConfig.TLSConfig.KeyFile).To(Equal("/etc/prometheus/certs/tls.key"))
		}},
		{"tlsConfig.keyFile with a certificate from a Secret", func(ep *monitoringv1.Endpoint) {
			ep.TLSConfig = &monitoringv1.TLSConfig{
				Cert:           monitoringv1.SecretOrConfigMap{Secret: secretKey("client", "tls.crt")},
				TLSFilesConfig: monitoringv1.TLSFilesConfig{KeyFile: "/etc/prometheus/certs/tls.key"},
			}
		}, func(g Gomega, c *configJob) {
			g.Expect(c.HTTPClientConfig.TLSConfig.KeyFile).To(Equal("/etc/prometheus/certs/tls.key"))
		}},
	}
	for _, ref := range fileRefs {
		for _, tc := range []struct {
			name      string
			namespace string
			deny      bool
			allowed   bool
		}{
			{"in the Prometheus's namespace", promNamespace, false, true},
			{"from another namespace", "team-a", false, false},
			{"in the Prometheus's namespace with deny", promNamespace, true, false},
			{"from another namespace with deny", "team-a", true, false},
		} {
			t.Run(ref.name+"/"+tc.name, func(t *testing.T) {
				g := NewWithT(t)
				withFile := newServiceMonitor(tc.namespace, "with-file", func(m *monitoringv1.ServiceMonitor) {
					m.Spec.Endpoints = append(m.Spec.Endpoints, monitoringv1.Endpoint{Port: "https"})
					ref.set(&m.Spec.Endpoints[1])
				})
				other := newServiceMonitor(tc.namespace, "other")
				store := newMapStore().
					withSecret(tc.namespace, "client", map[string]string{"tls.crt": "CERT"})
				res := mustGenerate(t, Input{
					Prometheus: newPrometheus(func(p *monitoringv1.Prometheus) {
						p.Spec.ArbitraryFSAccessThroughSMs.Deny = tc.deny
					}),
					ServiceMonitors: []*monitoringv1.ServiceMonitor{withFile, other},
					Store:           store,
				})
				cfg := load(t, res.Config)
				if tc.allowed {
					g.Expect(res.Rejected).To(BeEmpty())
					ref.check(g, scrapeJob(t, cfg, "serviceMonitor/"+tc.namespace+"/with-file/1"))
					return
				}
				g.Expect(rejectedNames(res.Rejected)).To(Equal([]string{"ServiceMonitor " + tc.namespace + "/with-file"}))
				reason := res.Rejected[0].Reason
				g.Expect(reason).To(HavePrefix("endpoints[1]: "))
				g.Expect(reason).To(ContainSubstring(errFileAccess.Error()))
				g.Expect(reason).To(ContainSubstring("arbitraryFSAccessThroughSMs.deny"))
				g.Expect(jobNames(cfg)).To(Equal([]string{"serviceMonitor/" + tc.namespace + "/other/0"}),
					"the monitor's other endpoint goes with it; other monitors stay")
			})
		}
	}
}

// TestFileSDPolicy: a ScrapeConfig's fileSDConfigs read Prometheus's
// filesystem too and follow the same policy.
func TestFileSDPolicy(t *testing.T) {
	for _, tc := range []struct {
		name      string
		namespace string
		deny      bool
		allowed   bool
	}{
		{"in the Prometheus's namespace", promNamespace, false, true},
		{"from another namespace", "team-a", false, false},
		{"in the Prometheus's namespace with deny", promNamespace, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			files := newScrapeConfig(tc.namespace, "files", func(s *monitoringv1alpha1.ScrapeConfig) {
				s.Spec.StaticConfigs = nil
				s.Spec.FileSDConfigs = []monitoringv1alpha1.FileSDConfig{{
					Files: []monitoringv1alpha1.SDFile{"/etc/prometheus/sd/*.json"}, RefreshInterval: ptr(monitoringv1.Duration("1m")),
				}}
			})
			static := newScrapeConfig(tc.namespace, "static")
			res := mustGenerate(t, Input{
				Prometheus: newPrometheus(func(p *monitoringv1.Prometheus) {
					p.Spec.ArbitraryFSAccessThroughSMs.Deny = tc.deny
				}),
				ScrapeConfigs: []*monitoringv1alpha1.ScrapeConfig{files, static},
			})
			cfg := load(t, res.Config)
			if tc.allowed {
				g.Expect(res.Rejected).To(BeEmpty())
				g.Expect(string(res.Config)).To(ContainSubstring("/etc/prometheus/sd/*.json"))
				g.Expect(scrapeJob(t, cfg, "scrapeConfig/"+tc.namespace+"/files").ServiceDiscoveryConfigs).To(HaveLen(1))
				return
			}
			g.Expect(rejectedNames(res.Rejected)).To(Equal([]string{"ScrapeConfig " + tc.namespace + "/files"}))
			g.Expect(res.Rejected[0].Reason).To(HavePrefix("fileSDConfigs: "))
			g.Expect(res.Rejected[0].Reason).To(ContainSubstring(errFileAccess.Error()))
			g.Expect(jobNames(cfg)).To(Equal([]string{"scrapeConfig/" + tc.namespace + "/static"}))
			g.Expect(string(res.Config)).NotTo(ContainSubstring("/etc/prometheus/sd"))
		})
	}
}

// TestFileReferencesOfThePrometheusObject: remote write and read and the
// Alertmanager endpoints belong to the Prometheus object, whose
// administrator may name files even with deny set, as Prometheus Operator
// allows.
func TestFileReferencesOfThePrometheusObject(t *testing.T) {
	g := NewWithT(t)
	const token = "/var/run/secrets/kubernetes.io/serviceaccount/token"
	p := newPrometheus(func(p *monitoringv1.Prometheus) {
		p.Spec.ArbitraryFSAccessThroughSMs.Deny = true
		p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{URL: "https://rw.example.com/push", BearerTokenFile: token}}
		p.Spec.RemoteRead = []monitoringv1.RemoteReadSpec{{URL: "https://rr.example.com/read",
			TLSConfig: &monitoringv1.TLSConfig{TLSFilesConfig: monitoringv1.TLSFilesConfig{CAFile: "/etc/ca.crt"}}}}
		p.Spec.Alerting = &monitoringv1.AlertingSpec{Alertmanagers: []monitoringv1.AlertmanagerEndpoints{{
			Name: "alertmanager", Port: *namedPort("web"), BearerTokenFile: token,
		}}}
	})
	res := mustGenerate(t, Input{Prometheus: p})
	cfg := load(t, res.Config)
	g.Expect(cfg.RemoteWriteConfigs[0].HTTPClientConfig.Authorization.CredentialsFile).To(Equal(token))
	g.Expect(cfg.RemoteReadConfigs[0].HTTPClientConfig.TLSConfig.CAFile).To(Equal("/etc/ca.crt"))
	g.Expect(cfg.AlertingConfig.AlertmanagerConfigs[0].HTTPClientConfig.Authorization.CredentialsFile).To(Equal(token))
}
