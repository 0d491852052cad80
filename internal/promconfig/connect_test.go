package promconfig

import (
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets/assetstest"
)

// tlsStore holds TLS material, good and bad, in team-a.
func tlsStore() *mapStore {
	return newMapStore().
		withSecret("team-a", "tls", map[string]string{
			"ca.crt": assetstest.CA, "tls.crt": assetstest.ClientCert, "tls.key": assetstest.ClientKey,
			"other.key": assetstest.OtherKey, "garbage": "not PEM at all",
			"fake.crt": "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
		}).
		withConfigMap("team-a", "ca", map[string]string{"ca.crt": assetstest.CA, "garbage": "ca.crt"})
}

func tlsSecret(key string) monitoringv1.SecretOrConfigMap {
	return monitoringv1.SecretOrConfigMap{Secret: secretKey("tls", key)}
}

// TestConnectTimeValuesAreCheckedNow: what Prometheus only trips on when it
// connects (a CA, certificate or key that is not PEM, a certificate
// without its key, a proxy URL the HTTP client cannot use) would fail
// every scrape of the object's targets while the configuration loads
// fine. The object is left out now, with the reason, and the others stay.
func TestConnectTimeValuesAreCheckedNow(t *testing.T) {
	smTLS := func(c monitoringv1.TLSConfig) func(*Input) {
		return func(in *Input) {
			in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints[0].TLSConfig = &c
			}))
		}
	}
	pmTLS := func(c monitoringv1.SafeTLSConfig) func(*Input) {
		return func(in *Input) {
			in.PodMonitors = append(in.PodMonitors, newPodMonitor("team-a", "bad", func(m *monitoringv1.PodMonitor) {
				m.Spec.PodMetricsEndpoints[0].TLSConfig = &c
			}))
		}
	}
	smProxy := func(url string) func(*Input) {
		return func(in *Input) {
			in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints[0].ProxyURL = &url
			}))
		}
	}
	for _, tc := range []struct {
		name   string
		add    func(*Input)
		kind   string
		reason string // "" when the object is good
	}{
		{"CA, certificate and key from Secrets", smTLS(monitoringv1.TLSConfig{
			CA: tlsSecret("ca.crt"), Cert: tlsSecret("tls.crt"), KeySecret: secretKey("tls", "tls.key")}), "ServiceMonitor", ""},
		{"CA from a ConfigMap", pmTLS(monitoringv1.SafeTLSConfig{
			CA: monitoringv1.SecretOrConfigMap{ConfigMap: configMapKey("ca", "ca.crt")}}), "PodMonitor", ""},
		{"certificate from a Secret, key from a file", smTLS(monitoringv1.TLSConfig{
			Cert: tlsSecret("tls.crt"), TLSFilesConfig: monitoringv1.TLSFilesConfig{KeyFile: "/etc/tls/tls.key"}}), "ServiceMonitor", ""},
		{"key from a Secret, certificate from a file", smTLS(monitoringv1.TLSConfig{
			KeySecret: secretKey("tls", "tls.key"), TLSFilesConfig: monitoringv1.TLSFilesConfig{CertFile: "/etc/tls/tls.crt"}}), "ServiceMonitor", ""},

		{"CA that is not PEM", pmTLS(monitoringv1.SafeTLSConfig{
			CA: monitoringv1.SecretOrConfigMap{ConfigMap: configMapKey("ca", "garbage")}}),
			"PodMonitor", "podMetricsEndpoints[0]: tlsConfig.ca: no PEM certificate found"},
		{"CA whose PEM is not a certificate", smTLS(monitoringv1.TLSConfig{CA: tlsSecret("fake.crt")}),
			"ServiceMonitor", "endpoints[0]: tlsConfig.ca: no PEM certificate found"},
		{"CA that is a key", smTLS(monitoringv1.TLSConfig{CA: tlsSecret("tls.key")}),
			"ServiceMonitor", "endpoints[0]: tlsConfig.ca: no PEM certificate found"},
		{"certificate without its key", pmTLS(monitoringv1.SafeTLSConfig{Cert: tlsSecret("tls.crt")}),
			"PodMonitor", "podMetricsEndpoints[0]: tlsConfig: a client certificate (cert or certFile) needs its key (keySecret or keyFile)"},
		{"certificate file without its key", smTLS(monitoringv1.TLSConfig{TLSFilesConfig: monitoringv1.TLSFilesConfig{CertFile: "/etc/tls/tls.crt"}}),
			"ServiceMonitor", "endpoints[0]: tlsConfig: a client certificate (cert or certFile) needs its key (keySecret or keyFile)"},
		{"key without its certificate", pmTLS(monitoringv1.SafeTLSConfig{KeySecret: secretKey("tls", "tls.key")}),
			"PodMonitor", "podMetricsEndpoints[0]: tlsConfig: a client key (keySecret or keyFile) needs its certificate (cert or certFile)"},
		{"key that does not go with the certificate", pmTLS(monitoringv1.SafeTLSConfig{Cert: tlsSecret("tls.crt"), KeySecret: secretKey("tls", "other.key")}),
			"PodMonitor", "podMetricsEndpoints[0]: tlsConfig.cert and keySecret: tls: private key does not match public key"},
		{"certificate that is not PEM", pmTLS(monitoringv1.SafeTLSConfig{Cert: tlsSecret("garbage"), KeySecret: secretKey("tls", "tls.key")}),
			"PodMonitor", "podMetricsEndpoints[0]: tlsConfig.cert and keySecret: tls: failed to find any PEM data in certificate input"},
		{"certificate that is not PEM, key from a file", smTLS(monitoringv1.TLSConfig{
			Cert: tlsSecret("garbage"), TLSFilesConfig: monitoringv1.TLSFilesConfig{KeyFile: "/etc/tls/tls.key"}}),
			"ServiceMonitor", "endpoints[0]: tlsConfig.cert: no PEM certificate found"},
		{"key that is not PEM, certificate from a file", smTLS(monitoringv1.TLSConfig{
			KeySecret: secretKey("tls", "garbage"), TLSFilesConfig: monitoringv1.TLSFilesConfig{CertFile: "/etc/tls/tls.crt"}}),
			"ServiceMonitor", "endpoints[0]: tlsConfig.keySecret: no PEM private key found"},
		{"Probe CA that is not PEM", func(in *Input) {
			in.Probes = append(in.Probes, newProbe("team-a", "bad", func(p *monitoringv1.Probe) {
				p.Spec.TLSConfig = &monitoringv1.SafeTLSConfig{CA: tlsSecret("garbage")}
			}))
		}, "Probe", "tlsConfig.ca: no PEM certificate found"},
		{"OAuth2 CA that is not PEM", func(in *Input) {
			in.Probes = append(in.Probes, newProbe("team-a", "bad", func(p *monitoringv1.Probe) {
				p.Spec.OAuth2 = &monitoringv1.OAuth2{ClientID: tlsSecret("ca.crt"), ClientSecret: *secretKey("tls", "ca.crt"),
					TokenURL: "https://login.example.com", TLSConfig: &monitoringv1.SafeTLSConfig{CA: tlsSecret("garbage")}}
			}))
		}, "Probe", "oauth2.tlsConfig.ca: no PEM certificate found"},
		{"HTTP discovery CA that is not PEM", func(in *Input) {
			in.ScrapeConfigs = append(in.ScrapeConfigs, newScrapeConfig("team-a", "bad", func(s *monitoringv1alpha1.ScrapeConfig) {
				s.Spec.HTTPSDConfigs = []monitoringv1alpha1.HTTPSDConfig{{URL: "https://sd.example.com",
					TLSConfig: &monitoringv1.SafeTLSConfig{CA: tlsSecret("garbage")}}}
			}))
		}, "ScrapeConfig", "httpSDConfigs[0]: tlsConfig.ca: no PEM certificate found"},

		{"proxy URL", smProxy("http://proxy.example:3128"), "ServiceMonitor", ""},
		{"proxy URL that does not parse", smProxy("http://proxy example:3128"),
			"ServiceMonitor", `endpoints[0]: proxyUrl does not parse: invalid character " " in host name`},
		{"proxy URL without a scheme", smProxy("proxy.example:3128"),
			"ServiceMonitor", `endpoints[0]: proxyUrl scheme "proxy.example" is not one of http, https, socks5, socks5h`},
		{"proxy URL without a host", smProxy("http://:3128"), "ServiceMonitor", "endpoints[0]: proxyUrl has no host"},
		{"PodMonitor proxy URL without a scheme", func(in *Input) {
			in.PodMonitors = append(in.PodMonitors, newPodMonitor("team-a", "bad", func(m *monitoringv1.PodMonitor) {
				m.Spec.PodMetricsEndpoints[0].ProxyURL = ptr("//proxy.example:3128")
			}))
		}, "PodMonitor", "podMetricsEndpoints[0]: proxyUrl has no scheme"},
		{"Probe prober proxy URL with an unknown scheme", func(in *Input) {
			in.Probes = append(in.Probes, newProbe("team-a", "bad", func(p *monitoringv1.Probe) {
				p.Spec.ProberSpec.ProxyURL = ptr("ftp://proxy.example")
			}))
		}, "Probe", `proxyUrl scheme "ftp" is not one of`},
		{"OAuth2 proxy URL without a host", func(in *Input) {
			in.ScrapeConfigs = append(in.ScrapeConfigs, newScrapeConfig("team-a", "bad", func(s *monitoringv1alpha1.ScrapeConfig) {
				s.Spec.OAuth2 = &monitoringv1.OAuth2{ClientID: tlsSecret("ca.crt"), ClientSecret: *secretKey("tls", "ca.crt"),
					TokenURL: "https://login.example.com", ProxyConfig: monitoringv1.ProxyConfig{ProxyURL: ptr("socks5://")}}
			}))
		}, "ScrapeConfig", "oauth2.proxyUrl has no host"},
		{"Kubernetes discovery proxy URL that does not parse", func(in *Input) {
			in.ScrapeConfigs = append(in.ScrapeConfigs, newScrapeConfig("team-a", "bad", func(s *monitoringv1alpha1.ScrapeConfig) {
				s.Spec.KubernetesSDConfigs = []monitoringv1alpha1.KubernetesSDConfig{{Role: monitoringv1alpha1.KubernetesRolePod,
					ProxyConfig: monitoringv1.ProxyConfig{ProxyURL: ptr("http://[::1")}}}
			}))
		}, "ScrapeConfig", `kubernetesSDConfigs[0]: proxyUrl does not parse: missing ']' in host`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in := goodObjects()
			in.Prometheus = newPrometheus()
			in.Store = tlsStore()
			tc.add(&in)
			res := mustGenerate(t, in)
			jobs := jobNames(load(t, res.Config))
			if tc.reason == "" {
				g.Expect(res.Rejected).To(BeEmpty())
				g.Expect(jobs).To(HaveLen(len(goodJobs) + 1))
				return
			}
			g.Expect(rejectedNames(res.Rejected)).To(Equal([]string{tc.kind + " team-a/bad"}))
			g.Expect(res.Rejected[0].Message()).To(HavePrefix(tc.reason))
			g.Expect(res.Rejected[0].Message()).NotTo(ContainSubstring("PRIVATE KEY"), "no key material in a reason")
			g.Expect(jobs).To(ConsistOf(goodJobs))
		})
	}
}

// TestPrometheusOwnConnectValues: the same checks on the Prometheus
// object's own clients fail Generate, as its other mistakes do.
func TestPrometheusOwnConnectValues(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prom    func(*monitoringv1.Prometheus)
		wantErr string
	}{
		{"remote write CA that is not PEM", func(p *monitoringv1.Prometheus) {
			p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{URL: "https://rw.example.com",
				TLSConfig: &monitoringv1.TLSConfig{CA: monitoringv1.SecretOrConfigMap{Secret: secretKey("tls", "garbage")}}}}
		}, "remoteWrite[0]: tlsConfig.ca: no PEM certificate found"},
		{"remote read proxy URL without a host", func(p *monitoringv1.Prometheus) {
			p.Spec.RemoteRead = []monitoringv1.RemoteReadSpec{{URL: "https://rr.example.com",
				ProxyConfig: monitoringv1.ProxyConfig{ProxyURL: ptr("https://")}}}
		}, "remoteRead[0]: proxyUrl has no host"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := Generate(Input{Prometheus: newPrometheus(tc.prom),
				Store: newMapStore().withSecret(promNamespace, "tls", map[string]string{"garbage": "x"})})
			g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
		})
	}
}

// TestProxyConnectHeaderOrder: with several headers whose Secrets are
// missing, the reason names the first header in sorted order, every time.
func TestProxyConnectHeaderOrder(t *testing.T) {
	g := NewWithT(t)
	m := newServiceMonitor("team-a", "x", func(m *monitoringv1.ServiceMonitor) {
		m.Spec.Endpoints[0].ProxyURL = ptr("http://proxy:3128")
		m.Spec.Endpoints[0].ProxyConnectHeader = map[string][]corev1.SecretKeySelector{
			"X-C": {*secretKey("c", "v")}, "X-A": {*secretKey("a", "v")}, "X-B": {*secretKey("b", "v")},
		}
	})
	for range 20 {
		res := mustGenerate(t, Input{Prometheus: newPrometheus(), ServiceMonitors: []*monitoringv1.ServiceMonitor{m}, Store: newMapStore()})
		g.Expect(described(res.Rejected)).To(HaveExactElements(HaveSuffix("[ReferenceNotFound] endpoints[0]: proxyConnectHeader.X-A: secret team-a/a not found")))
	}
}
