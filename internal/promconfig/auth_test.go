package promconfig

import (
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets/assetstest"
)

// anyNamespaceStore answers every lookup, whatever the namespace, with a
// value naming the namespace it was asked for: a Store that would leak
// another namespace's Secret if Generate asked it to. TLS keys get PEM
// material after that name, so that the TLS checks pass.
type anyNamespaceStore struct{ mapStore }

func (s *anyNamespaceStore) SecretKey(namespace string, sel corev1.SecretKeySelector) (string, error) {
	s.calls = append(s.calls, storeCall{"Secret", namespace, sel.Name, sel.Key})
	return fromNamespace(namespace, sel.Key), nil
}

func (s *anyNamespaceStore) ConfigMapKey(namespace string, sel corev1.ConfigMapKeySelector) (string, error) {
	s.calls = append(s.calls, storeCall{"ConfigMap", namespace, sel.Name, sel.Key})
	return fromNamespace(namespace, sel.Key), nil
}

func fromNamespace(namespace, key string) string {
	pem, ok := map[string]string{"ca.crt": assetstest.CA, "tls.crt": assetstest.ClientCert, "tls.key": assetstest.ClientKey}[key]
	if !ok {
		return "from-" + namespace
	}
	return "from-" + namespace + "\n" + pem
}

var everyAuth = monitoringv1.HTTPClientConfig{
	BasicAuth: &monitoringv1.BasicAuth{Username: *secretKey("shared", "username"), Password: *secretKey("shared", "password")},
	ProxyConfig: monitoringv1.ProxyConfig{ProxyURL: ptr("http://proxy:3128"),
		ProxyConnectHeader: map[string][]corev1.SecretKeySelector{"Proxy-Authorization": {*secretKey("shared", "proxy")}}},
}

var everyTLS = &monitoringv1.SafeTLSConfig{
	CA:        monitoringv1.SecretOrConfigMap{ConfigMap: configMapKey("shared", "ca.crt")},
	Cert:      monitoringv1.SecretOrConfigMap{Secret: secretKey("shared", "tls.crt")},
	KeySecret: secretKey("shared", "tls.key"),
}

// TestReferencesResolveInTheObjectsNamespace: every Secret and ConfigMap
// reference is looked up in the namespace of the object that holds it,
// never another, even when the Store would answer for another namespace.
func TestReferencesResolveInTheObjectsNamespace(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        Input
		namespace string
	}{
		{"ServiceMonitor", Input{ServiceMonitors: []*monitoringv1.ServiceMonitor{newServiceMonitor("team-a", "x", func(m *monitoringv1.ServiceMonitor) {
			m.Spec.Endpoints[0].HTTPClientConfig = everyAuth
			m.Spec.Endpoints[0].TLSConfig = &monitoringv1.TLSConfig{CA: everyTLS.CA, Cert: everyTLS.Cert, KeySecret: everyTLS.KeySecret}
			m.Spec.Endpoints = append(m.Spec.Endpoints, monitoringv1.Endpoint{Port: "web", HTTPClientConfig: monitoringv1.HTTPClientConfig{
				BearerTokenSecret: secretKey("shared", "token")}})
		})}}, "team-a"},
		{"PodMonitor", Input{PodMonitors: []*monitoringv1.PodMonitor{newPodMonitor("team-b", "x", func(m *monitoringv1.PodMonitor) {
			m.Spec.PodMetricsEndpoints[0].HTTPClientConfig = everyAuth
			m.Spec.PodMetricsEndpoints[0].TLSConfig = everyTLS
		})}}, "team-b"},
		{"Probe", Input{Probes: []*monitoringv1.Probe{newProbe("team-c", "x", func(p *monitoringv1.Probe) {
			p.Spec.OAuth2 = &monitoringv1.OAuth2{ClientID: monitoringv1.SecretOrConfigMap{ConfigMap: configMapKey("shared", "id")},
				ClientSecret: *secretKey("shared", "secret"), TokenURL: "https://login.example.com", TLSConfig: everyTLS}
			p.Spec.TLSConfig = everyTLS
		})}}, "team-c"},
		{"ScrapeConfig", Input{ScrapeConfigs: []*monitoringv1alpha1.ScrapeConfig{newScrapeConfig("team-d", "x", func(s *monitoringv1alpha1.ScrapeConfig) {
			s.Spec.Authorization = &monitoringv1.SafeAuthorization{Credentials: secretKey("shared", "token")}
			s.Spec.HTTPSDConfigs = []monitoringv1alpha1.HTTPSDConfig{{URL: "https://sd.example.com", BasicAuth: everyAuth.BasicAuth, TLSConfig: everyTLS}}
			s.Spec.KubernetesSDConfigs = []monitoringv1alpha1.KubernetesSDConfig{{Role: monitoringv1alpha1.KubernetesRolePod,
				APIServer: ptr("https://other-cluster:6443"), BasicAuth: everyAuth.BasicAuth, TLSConfig: everyTLS}}
		})}}, "team-d"},
		// The Prometheus object's own references (remote write and read,
		// Alertmanagers, even in another namespace, additional jobs) are in
		// its namespace.
		{"Prometheus", Input{Prometheus: newPrometheus(func(p *monitoringv1.Prometheus) {
			p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{URL: "https://rw.example.com", BasicAuth: everyAuth.BasicAuth,
				Sigv4: &monitoringv1.Sigv4{AccessKey: secretKey("shared", "ak"), SecretKey: secretKey("shared", "sk")}}}
			p.Spec.RemoteRead = []monitoringv1.RemoteReadSpec{{URL: "https://rr.example.com",
				Authorization: &monitoringv1.Authorization{Credentials: secretKey("shared", "token")}}}
			p.Spec.Alerting = &monitoringv1.AlertingSpec{Alertmanagers: []monitoringv1.AlertmanagerEndpoints{{
				Namespace: ptr("alerting"), Name: "am", Port: *namedPort("web"), BasicAuth: everyAuth.BasicAuth,
				TLSConfig: &monitoringv1.TLSConfig{CA: everyTLS.CA},
			}}}
			p.Spec.AdditionalScrapeConfigs = secretKey("shared", "extra")
		})}, promNamespace},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			store := &anyNamespaceStore{}
			in := tc.in
			in.Store = store
			if in.Prometheus == nil {
				in.Prometheus = newPrometheus()
			}
			_, err := Generate(in)
			// "from-monitoring" is not a list of scrape configs; the
			// lookups happened all the same.
			if tc.name != "Prometheus" {
				g.Expect(err).NotTo(HaveOccurred())
			}
			g.Expect(store.calls).NotTo(BeEmpty())
			g.Expect(store.namespacesAsked()).To(Equal([]string{tc.namespace}), "calls: %v", store.calls)
		})
	}
}

// TestSecretOfAnotherNamespaceIsNotFound: a Secret that exists only in
// another namespace (the Prometheus's, say) leaves the monitor out; the
// Store is asked about the monitor's namespace only.
func TestSecretOfAnotherNamespaceIsNotFound(t *testing.T) {
	g := NewWithT(t)
	store := newMapStore().withSecret(promNamespace, "admin", map[string]string{"token": "admin-token"})
	m := newServiceMonitor("team-a", "thief", func(m *monitoringv1.ServiceMonitor) {
		m.Spec.Endpoints[0].BearerTokenSecret = secretKey("admin", "token")
	})
	res := mustGenerate(t, Input{Prometheus: newPrometheus(), ServiceMonitors: []*monitoringv1.ServiceMonitor{m}, Store: store})
	g.Expect(described(res.Rejected)).To(ConsistOf(
		"ServiceMonitor team-a/thief [ReferenceNotFound] endpoints[0]: bearerTokenSecret: secret team-a/admin not found"))
	g.Expect(store.calls).To(Equal([]storeCall{{"Secret", "team-a", "admin", "token"}}))
	g.Expect(string(res.Config)).NotTo(ContainSubstring("admin-token"))
}

// TestAuthenticationAsPrometheusLoadsIt checks what each kind of
// authentication becomes once Prometheus has loaded the configuration.
func TestAuthenticationAsPrometheusLoadsIt(t *testing.T) {
	store := newMapStore().
		withSecret("team-a", "creds", map[string]string{"user": "alice", "pass": "p4ss", "token": "t0k", "client-secret": "cs",
			"tls.key": assetstest.ClientKey, "proxy-auth": "Basic eHg6eXk="}).
		withConfigMap("team-a", "cm", map[string]string{"ca.crt": assetstest.CA, "client-id": "cid", "tls.crt": assetstest.ClientCert})
	for _, tc := range []struct {
		name   string
		client monitoringv1.HTTPClientConfig
		tls    *monitoringv1.TLSConfig
		check  func(g Gomega, c *configJob)
	}{
		{name: "basic auth", client: monitoringv1.HTTPClientConfig{BasicAuth: &monitoringv1.BasicAuth{
			Username: *secretKey("creds", "user"), Password: *secretKey("creds", "pass")}},
			check: func(g Gomega, c *configJob) {
				g.Expect(c.HTTPClientConfig.BasicAuth.Username).To(Equal("alice"))
				g.Expect(string(c.HTTPClientConfig.BasicAuth.Password)).To(Equal("p4ss"))
			}},
		{name: "authorization defaults to Bearer", client: monitoringv1.HTTPClientConfig{Authorization: &monitoringv1.SafeAuthorization{
			Credentials: secretKey("creds", "token")}},
			check: func(g Gomega, c *configJob) {
				g.Expect(c.HTTPClientConfig.Authorization.Type).To(Equal("Bearer"))
				g.Expect(string(c.HTTPClientConfig.Authorization.Credentials)).To(Equal("t0k"))
			}},
		{name: "authorization of another type", client: monitoringv1.HTTPClientConfig{Authorization: &monitoringv1.SafeAuthorization{
			Type: "Token", Credentials: secretKey("creds", "token")}},
			check: func(g Gomega, c *configJob) {
				g.Expect(c.HTTPClientConfig.Authorization.Type).To(Equal("Token"))
			}},
		{name: "bearer token from a Secret", client: monitoringv1.HTTPClientConfig{BearerTokenSecret: secretKey("creds", "token")},
			check: func(g Gomega, c *configJob) {
				g.Expect(c.HTTPClientConfig.Authorization.Type).To(Equal("Bearer"))
				g.Expect(string(c.HTTPClientConfig.Authorization.Credentials)).To(Equal("t0k"))
			}},
		{name: "OAuth2 with the client ID from a ConfigMap", client: monitoringv1.HTTPClientConfig{OAuth2: &monitoringv1.OAuth2{
			ClientID: monitoringv1.SecretOrConfigMap{ConfigMap: configMapKey("cm", "client-id")}, ClientSecret: *secretKey("creds", "client-secret"),
			TokenURL: "https://login.example.com/token", Scopes: []string{"a", "b"}, EndpointParams: map[string]string{"aud": "x"}}},
			check: func(g Gomega, c *configJob) {
				o := c.HTTPClientConfig.OAuth2
				g.Expect(o.ClientID).To(Equal("cid"))
				g.Expect(string(o.ClientSecret)).To(Equal("cs"))
				g.Expect(o.TokenURL).To(Equal("https://login.example.com/token"))
				g.Expect(o.Scopes).To(Equal([]string{"a", "b"}))
				g.Expect(o.EndpointParams).To(Equal(map[string]string{"aud": "x"}))
			}},
		{name: "TLS from a ConfigMap and a Secret", tls: &monitoringv1.TLSConfig{
			CA: monitoringv1.SecretOrConfigMap{ConfigMap: configMapKey("cm", "ca.crt")}, Cert: monitoringv1.SecretOrConfigMap{ConfigMap: configMapKey("cm", "tls.crt")},
			KeySecret: secretKey("creds", "tls.key"), ServerName: ptr("api.internal"), InsecureSkipVerify: ptr(true),
			MinVersion: ptr(monitoringv1.TLSVersion("TLS12"))},
			check: func(g Gomega, c *configJob) {
				tls := c.HTTPClientConfig.TLSConfig
				g.Expect(tls.CA).To(Equal(assetstest.CA))
				g.Expect(tls.Cert).To(Equal(assetstest.ClientCert))
				g.Expect(string(tls.Key)).To(Equal(assetstest.ClientKey))
				g.Expect(tls.ServerName).To(Equal("api.internal"))
				g.Expect(tls.InsecureSkipVerify).To(BeTrue())
				g.Expect(tls.MinVersion.String()).To(Equal("TLS12"))
			}},
		{name: "proxy with a header from a Secret", client: monitoringv1.HTTPClientConfig{ProxyConfig: monitoringv1.ProxyConfig{
			ProxyURL: ptr("http://proxy:3128"), NoProxy: ptr("10.0.0.0/8"),
			ProxyConnectHeader: map[string][]corev1.SecretKeySelector{"Proxy-Authorization": {*secretKey("creds", "proxy-auth")}}}},
			check: func(g Gomega, c *configJob) {
				p := c.HTTPClientConfig.ProxyConfig
				g.Expect(p.ProxyURL.String()).To(Equal("http://proxy:3128"))
				g.Expect(p.NoProxy).To(Equal("10.0.0.0/8"))
				g.Expect(p.ProxyConnectHeader).To(HaveKey("Proxy-Authorization"))
				g.Expect(string(p.ProxyConnectHeader["Proxy-Authorization"][0])).To(Equal("Basic eHg6eXk="))
			}},
		{name: "redirects and HTTP/2", client: monitoringv1.HTTPClientConfig{FollowRedirects: ptr(false), EnableHTTP2: ptr(false)},
			check: func(g Gomega, c *configJob) {
				g.Expect(c.HTTPClientConfig.FollowRedirects).To(BeFalse())
				g.Expect(c.HTTPClientConfig.EnableHTTP2).To(BeFalse())
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			m := newServiceMonitor("team-a", "api", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints[0].HTTPClientConfig = tc.client
				m.Spec.Endpoints[0].TLSConfig = tc.tls
			})
			res := mustGenerate(t, Input{Prometheus: newPrometheus(), ServiceMonitors: []*monitoringv1.ServiceMonitor{m}, Store: store})
			g.Expect(res.Rejected).To(BeEmpty())
			tc.check(g, scrapeJob(t, load(t, res.Config), "serviceMonitor/team-a/api/0"))
		})
	}
}

// TestSecretValuesAreNotInterpreted: a Secret's value reaches the YAML
// through the encoder, so YAML or template syntax in it stays a plain
// string and cannot add fields.
func TestSecretValuesAreNotInterpreted(t *testing.T) {
	for _, value := range []string{
		"p4ss\nbearer_token_file: /etc/passwd",
		"\"quoted\": value",
		"{{ .Values.x }}",
		"$(SHARD)",
		"&anchor *alias",
		"- item",
		"# comment",
		"'",
		"",
	} {
		t.Run(value, func(t *testing.T) {
			g := NewWithT(t)
			store := newMapStore().withSecret("team-a", "creds", map[string]string{"user": "alice", "pass": value})
			m := newServiceMonitor("team-a", "api", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints[0].BasicAuth = &monitoringv1.BasicAuth{Username: *secretKey("creds", "user"), Password: *secretKey("creds", "pass")}
			})
			res := mustGenerate(t, Input{Prometheus: newPrometheus(), ServiceMonitors: []*monitoringv1.ServiceMonitor{m}, Store: store})
			g.Expect(res.Rejected).To(BeEmpty())
			c, err := configLoadRaw(res.Config)
			g.Expect(err).NotTo(HaveOccurred())
			sc := c.ScrapeConfigs[0]
			g.Expect(string(sc.HTTPClientConfig.BasicAuth.Password)).To(Equal(value))
			g.Expect(sc.HTTPClientConfig.BearerTokenFile).To(BeEmpty())
			g.Expect(sc.HTTPClientConfig.Authorization).To(BeNil())
		})
	}
}
