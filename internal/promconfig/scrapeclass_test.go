package promconfig

import (
	"fmt"
	"slices"
	"testing"

	. "github.com/onsi/gomega"
	commoncfg "github.com/prometheus/common/config"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets/assetstest"
)

// The expected values below are Prometheus Operator v0.93.0's behaviour;
// the file:line references are to its pkg/prometheus.

// withClasses sets the Prometheus object's scrape classes.
func withClasses(classes ...monitoringv1.ScrapeClass) func(*monitoringv1.Prometheus) {
	return func(p *monitoringv1.Prometheus) { p.Spec.ScrapeClasses = classes }
}

// oneObjectOfEachKind makes a ServiceMonitor, a PodMonitor, a Probe and a
// ScrapeConfig in team-a named x, each changed by its option (nil for
// none), and the name of each one's (first) job.
func oneObjectOfEachKind(
	sm func(*monitoringv1.ServiceMonitor), pm func(*monitoringv1.PodMonitor),
	probe func(*monitoringv1.Probe), sc func(*monitoringv1alpha1.ScrapeConfig),
) (Input, map[string]string) {
	in := Input{
		ServiceMonitors: []*monitoringv1.ServiceMonitor{newServiceMonitor("team-a", "x", orNoop(sm))},
		PodMonitors:     []*monitoringv1.PodMonitor{newPodMonitor("team-a", "x", orNoop(pm))},
		Probes:          []*monitoringv1.Probe{newProbe("team-a", "x", orNoop(probe))},
		ScrapeConfigs:   []*monitoringv1alpha1.ScrapeConfig{newScrapeConfig("team-a", "x", orNoop(sc))},
	}
	return in, map[string]string{
		"ServiceMonitor": "serviceMonitor/team-a/x/0", "PodMonitor": "podMonitor/team-a/x/0",
		"Probe": "probe/team-a/x", "ScrapeConfig": "scrapeConfig/team-a/x",
	}
}

func orNoop[T any](f func(T)) func(T) {
	if f == nil {
		return func(T) {}
	}
	return f
}

// eachKindNaming gives every kind of object the scrape class name.
func eachKindNaming(name *string) (Input, map[string]string) {
	return oneObjectOfEachKind(
		func(m *monitoringv1.ServiceMonitor) { m.Spec.ScrapeClassName = name },
		func(m *monitoringv1.PodMonitor) { m.Spec.ScrapeClassName = name },
		func(p *monitoringv1.Probe) { p.Spec.ScrapeClassName = name },
		func(s *monitoringv1alpha1.ScrapeConfig) { s.Spec.ScrapeClassName = name },
	)
}

var (
	protoText  = monitoringv1.ScrapeProtocol("PrometheusText0.0.4")
	protoOpen  = monitoringv1.ScrapeProtocol("OpenMetricsText1.0.0")
	protoProto = monitoringv1.ScrapeProtocol("PrometheusProto")
)

// TestScrapeClassChoice: an object uses the class it names, else the
// default class, else none (getScrapeClassOrDefault, promcfg.go:5323); an
// empty name names none. A name not listed refuses the object with the
// name in the reason (validateScrapeClass, resource_selector.go:301), for
// every kind (resource_selector.go:258, 370, 435, 570).
func TestScrapeClassChoice(t *testing.T) {
	classes := []monitoringv1.ScrapeClass{
		{Name: "text", FallbackScrapeProtocol: &protoText},
		{Name: "open", Default: ptr(true), FallbackScrapeProtocol: &protoOpen},
	}
	for _, tc := range []struct {
		name    string
		classes []monitoringv1.ScrapeClass
		named   *string
		want    string // fallback_scrape_protocol of every job
	}{
		{"named class", classes, ptr("text"), "PrometheusText0.0.4"},
		{"default class when none is named", classes, nil, "OpenMetricsText1.0.0"},
		{"default class when the name is empty", classes, ptr(""), "OpenMetricsText1.0.0"},
		{"no class without a default", classes[:1], nil, ""},
		{"no classes at all", nil, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in, jobs := eachKindNaming(tc.named)
			in.Prometheus = newPrometheus(withClasses(tc.classes...))
			res := mustGenerate(t, in)
			g.Expect(res.Rejected).To(BeEmpty())
			cfg := load(t, res.Config)
			for kind, job := range jobs {
				g.Expect(scrapeJob(t, cfg, job).ScrapeFallbackProtocol).To(BeEquivalentTo(tc.want), kind)
			}
		})
	}

	t.Run("unknown class", func(t *testing.T) {
		g := NewWithT(t)
		in, jobs := eachKindNaming(ptr("mesh-v2"))
		in.Prometheus = newPrometheus(withClasses(classes...))
		res := mustGenerate(t, in)
		g.Expect(load(t, res.Config).ScrapeConfigs).To(BeEmpty())
		for kind := range jobs {
			g.Expect(reasonOf(res.Rejected, kind, "team-a", "x")).To(
				Equal(`scrapeClass "mesh-v2" not found in the Prometheus object's scrapeClasses`), kind)
		}
	})
}

// TestScrapeClassFallbackProtocol: the object's own fallback protocol wins
// (mergeFallbackScrapeProtocolWithScrapeClass, promcfg.go:631).
func TestScrapeClassFallbackProtocol(t *testing.T) {
	g := NewWithT(t)
	in, jobs := oneObjectOfEachKind(
		func(m *monitoringv1.ServiceMonitor) { m.Spec.FallbackScrapeProtocol = &protoProto },
		func(m *monitoringv1.PodMonitor) { m.Spec.FallbackScrapeProtocol = &protoProto },
		func(p *monitoringv1.Probe) { p.Spec.FallbackScrapeProtocol = &protoProto },
		func(s *monitoringv1alpha1.ScrapeConfig) { s.Spec.FallbackScrapeProtocol = &protoProto },
	)
	in.Prometheus = newPrometheus(withClasses(monitoringv1.ScrapeClass{Name: "c", Default: ptr(true), FallbackScrapeProtocol: &protoText}))
	cfg := load(t, mustGenerate(t, in).Config)
	for kind, job := range jobs {
		g.Expect(scrapeJob(t, cfg, job).ScrapeFallbackProtocol).To(BeEquivalentTo("PrometheusProto"), kind)
	}
}

// TestScrapeClassAttachMetadata: a monitor's own attachMetadata, even
// without node, wins over the class's (mergeAttachMetadataWithScrapeClass,
// promcfg.go:616, used at 1466 and 1969).
func TestScrapeClassAttachMetadata(t *testing.T) {
	for _, tc := range []struct {
		name string
		own  *monitoringv1.AttachMetadata
		want bool
	}{
		{"class's when the monitor sets none", nil, true},
		{"monitor's when it sets the field without node", &monitoringv1.AttachMetadata{}, false},
		{"monitor's when it sets node false", &monitoringv1.AttachMetadata{Node: ptr(false)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in, jobs := oneObjectOfEachKind(
				func(m *monitoringv1.ServiceMonitor) { m.Spec.AttachMetadata = tc.own },
				func(m *monitoringv1.PodMonitor) { m.Spec.AttachMetadata = tc.own },
				nil, nil)
			in.Prometheus = newPrometheus(withClasses(monitoringv1.ScrapeClass{Name: "c", Default: ptr(true),
				AttachMetadata: &monitoringv1.AttachMetadata{Node: ptr(true)}}))
			cfg := load(t, mustGenerate(t, in).Config)
			for _, kind := range []string{"ServiceMonitor", "PodMonitor"} {
				sd := scrapeJob(t, cfg, jobs[kind]).ServiceDiscoveryConfigs
				g.Expect(sd).To(HaveLen(1))
				g.Expect(sd[0]).To(HaveField("AttachMetadata.Node", tc.want), kind)
			}
		})
	}
}

// TestScrapeClassRelabelings: the class's rules come after the rules Vigil
// generates and before the object's own (promcfg.go:1658, 1823, 1915,
// 2209), except for a ScrapeConfig, where they come before its job label
// (3465); the class's metric rules come before the object's, and the
// enforced namespace label last (1685, 1939, 2232, 5078).
func TestScrapeClassRelabelings(t *testing.T) {
	g := NewWithT(t)
	own := []monitoringv1.RelabelConfig{{TargetLabel: "own", Replacement: ptr("y")}}
	in, jobs := oneObjectOfEachKind(
		func(m *monitoringv1.ServiceMonitor) {
			m.Spec.Endpoints[0].RelabelConfigs, m.Spec.Endpoints[0].MetricRelabelConfigs = own, own
		},
		func(m *monitoringv1.PodMonitor) {
			m.Spec.PodMetricsEndpoints[0].RelabelConfigs, m.Spec.PodMetricsEndpoints[0].MetricRelabelConfigs = own, own
		},
		func(p *monitoringv1.Probe) {
			p.Spec.Targets.StaticConfig.RelabelConfigs, p.Spec.MetricRelabelConfigs = own, own
		},
		func(s *monitoringv1alpha1.ScrapeConfig) {
			s.Spec.JobName = ptr("legacy")
			s.Spec.Relabelings, s.Spec.MetricRelabelings = own, own
		},
	)
	in.Prometheus = newPrometheus(func(p *monitoringv1.Prometheus) { p.Spec.EnforcedNamespaceLabel = "tenant" },
		withClasses(monitoringv1.ScrapeClass{Name: "c", Default: ptr(true),
			Relabelings:       []monitoringv1.RelabelConfig{{TargetLabel: "class", Replacement: ptr("x")}},
			MetricRelabelings: []monitoringv1.RelabelConfig{{TargetLabel: "class", Replacement: ptr("x")}},
		}))
	cfg := load(t, mustGenerate(t, in).Config)

	// The rule each kind generates last, which the class's rules follow.
	before := map[string]string{
		"ServiceMonitor": "endpoint = web",
		"PodMonitor":     "endpoint = metrics",
		"Probe":          "__address__ = blackbox-exporter.monitoring.svc:19115",
		"ScrapeConfig":   "__tmp_prometheus_job_name <- job",
	}
	for kind, job := range jobs {
		j := scrapeJob(t, cfg, job)
		want := []string{before[kind], "class = x", "own = y", "tenant = team-a"}
		if kind == "ScrapeConfig" {
			want = []string{before[kind], "class = x", "job = legacy", "own = y", "tenant = team-a"}
		}
		g.Expect(containsRun(describeRules(j.RelabelConfigs), want)).To(BeTrue(), "%s relabelings: %v", kind, describeRules(j.RelabelConfigs))
		g.Expect(describeRules(j.MetricRelabelConfigs)).To(Equal([]string{"class = x", "own = y", "tenant = team-a"}), kind)
	}
}

// containsRun says whether want appears in got as consecutive items.
func containsRun(got, want []string) bool {
	for i := range got {
		if len(got)-i >= len(want) && slices.Equal(got[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

// TestScrapeClassTLS: an object without TLS takes the class's whole; one
// with TLS takes only the class's files, each where it sets neither that
// file nor its Secret (mergeTLSConfigWithScrapeClass, promcfg.go:592). A
// ServiceMonitor's empty tlsConfig counts as TLS (2018), an empty
// SafeTLSConfig of the other kinds as none (584).
func TestScrapeClassTLS(t *testing.T) {
	class := monitoringv1.ScrapeClass{Name: "mesh", Default: ptr(true), TLSConfig: &monitoringv1.TLSConfig{
		InsecureSkipVerify: ptr(true),
		TLSFilesConfig:     monitoringv1.TLSFilesConfig{CAFile: "/class/ca", CertFile: "/class/cert", KeyFile: "/class/key"},
	}}
	ca := monitoringv1.SecretOrConfigMap{Secret: secretKey("tls", "ca")}
	cert := monitoringv1.SecretOrConfigMap{Secret: secretKey("tls", "cert")}
	whole := commoncfg.TLSConfig{CAFile: "/class/ca", CertFile: "/class/cert", KeyFile: "/class/key", InsecureSkipVerify: true}
	monitors := []string{"ServiceMonitor"}
	others := []string{"PodMonitor", "Probe", "ScrapeConfig"}
	for _, tc := range []struct {
		name  string
		sm    *monitoringv1.TLSConfig     // the ServiceMonitor's
		safe  *monitoringv1.SafeTLSConfig // the other kinds'
		kinds []string                    // the kinds the case is about; all when nil
		want  commoncfg.TLSConfig
	}{
		{"none", nil, nil, nil, whole},
		{"empty tlsConfig of a ServiceMonitor", &monitoringv1.TLSConfig{}, nil, monitors,
			commoncfg.TLSConfig{CAFile: "/class/ca", CertFile: "/class/cert", KeyFile: "/class/key"}},
		{"empty tlsConfig of the other kinds", nil, &monitoringv1.SafeTLSConfig{}, others, whole},
		{"server name only", &monitoringv1.TLSConfig{ServerName: ptr("x.svc")}, &monitoringv1.SafeTLSConfig{ServerName: ptr("x.svc")}, nil,
			commoncfg.TLSConfig{CAFile: "/class/ca", CertFile: "/class/cert", KeyFile: "/class/key", ServerName: "x.svc"}},
		{"own CA", &monitoringv1.TLSConfig{CA: ca}, &monitoringv1.SafeTLSConfig{CA: ca}, nil,
			commoncfg.TLSConfig{CA: assetstest.CA, CertFile: "/class/cert", KeyFile: "/class/key"}},
		{"own certificate and key", &monitoringv1.TLSConfig{Cert: cert, KeySecret: secretKey("tls", "key")},
			&monitoringv1.SafeTLSConfig{Cert: cert, KeySecret: secretKey("tls", "key")}, nil,
			commoncfg.TLSConfig{CAFile: "/class/ca", Cert: assetstest.ClientCert, Key: commoncfg.Secret(assetstest.ClientKey)}},
		// Checked once merged: the object's certificate alone would be a
		// certificate without its key, the class gives the key file.
		{"own certificate, the class's key file", &monitoringv1.TLSConfig{Cert: cert}, &monitoringv1.SafeTLSConfig{Cert: cert}, nil,
			commoncfg.TLSConfig{CAFile: "/class/ca", Cert: assetstest.ClientCert, KeyFile: "/class/key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in, jobs := oneObjectOfEachKind(
				func(m *monitoringv1.ServiceMonitor) { m.Spec.Endpoints[0].TLSConfig = tc.sm },
				func(m *monitoringv1.PodMonitor) { m.Spec.PodMetricsEndpoints[0].TLSConfig = tc.safe },
				func(p *monitoringv1.Probe) { p.Spec.TLSConfig = tc.safe },
				func(s *monitoringv1alpha1.ScrapeConfig) { s.Spec.TLSConfig = tc.safe },
			)
			in.Prometheus = newPrometheus(withClasses(class))
			in.Store = newMapStore().withSecret("team-a", "tls", map[string]string{"ca": assetstest.CA, "cert": assetstest.ClientCert, "key": assetstest.ClientKey})
			res := mustGenerate(t, in)
			g.Expect(res.Rejected).To(BeEmpty())
			cfg := load(t, res.Config)
			for kind, job := range jobs {
				if tc.kinds == nil || slices.Contains(tc.kinds, kind) {
					g.Expect(scrapeJob(t, cfg, job).HTTPClientConfig.TLSConfig).To(Equal(tc.want), kind)
				}
			}
		})
	}
}

// TestScrapeClassTLSFilesWhateverTheNamespace: the class's files are the
// Prometheus object's owner's, honoured for objects in any namespace, where
// an object's own files are not (Prometheus Operator checks only the
// object's own, resource_selector.go testForArbitraryFSAccess).
func TestScrapeClassTLSFilesWhateverTheNamespace(t *testing.T) {
	g := NewWithT(t)
	in, _ := eachKindNaming(ptr("mesh"))
	in.Prometheus = newPrometheus(func(p *monitoringv1.Prometheus) { p.Spec.ArbitraryFSAccessThroughSMs.Deny = true },
		withClasses(monitoringv1.ScrapeClass{Name: "mesh", TLSConfig: &monitoringv1.TLSConfig{
			TLSFilesConfig: monitoringv1.TLSFilesConfig{CAFile: "/class/ca"}}}))
	res := mustGenerate(t, in)
	g.Expect(res.Rejected).To(BeEmpty())
	for _, j := range load(t, res.Config).ScrapeConfigs {
		g.Expect(j.HTTPClientConfig.TLSConfig.CAFile).To(Equal("/class/ca"), j.JobName)
	}
}

// TestScrapeClassAuthorization: the class's authorization applies to
// objects without one (mergeAuthorizationWithScrapeClass, promcfg.go:563).
// Its Secret is read in the Prometheus object's namespace, where Prometheus
// Operator loads a class's Secrets (store.go:111). A monitor endpoint that
// authenticates another way is refused: Prometheus Operator would write
// two ways, which Prometheus refuses for the whole file. A monitor's
// authorization without credentials is refused as Prometheus Operator
// refuses it (SafeAuthorization.Validate through
// HTTPConfigWithoutTLS.Validate, resource_selector.go:214 and 381).
func TestScrapeClassAuthorization(t *testing.T) {
	class := monitoringv1.ScrapeClass{Name: "token", Default: ptr(true), Authorization: &monitoringv1.Authorization{
		Type: "Token", Credentials: secretKey("class-token", "token")}}
	store := func() *mapStore {
		return newMapStore().
			withSecret(promNamespace, "class-token", map[string]string{"token": "from-prometheus-namespace"}).
			withSecret("team-a", "own", map[string]string{"token": "own-token", "user": "u", "password": "p"})
	}
	const otherWay = `scrapeClass "token": its authorization cannot apply: the object authenticates with %s, and Prometheus accepts only one way`
	for _, tc := range []struct {
		name      string
		client    monitoringv1.HTTPClientConfig
		wantType  string
		wantCreds string
		rejected  string // the reason, when refused
	}{
		{"none", monitoringv1.HTTPClientConfig{}, "Token", "from-prometheus-namespace", ""},
		{"own credentials", monitoringv1.HTTPClientConfig{Authorization: &monitoringv1.SafeAuthorization{Credentials: secretKey("own", "token")}},
			"Bearer", "own-token", ""},
		{"empty", monitoringv1.HTTPClientConfig{Authorization: &monitoringv1.SafeAuthorization{}},
			"", "", "authorization: credentials are required"},
		{"type only", monitoringv1.HTTPClientConfig{Authorization: &monitoringv1.SafeAuthorization{Type: "Custom"}},
			"", "", "authorization: credentials are required"},
		{"basicAuth", monitoringv1.HTTPClientConfig{BasicAuth: &monitoringv1.BasicAuth{Username: *secretKey("own", "user"), Password: *secretKey("own", "password")}},
			"", "", fmt.Sprintf(otherWay, "basicAuth")},
		{"bearerTokenSecret", monitoringv1.HTTPClientConfig{BearerTokenSecret: secretKey("own", "token")},
			"", "", fmt.Sprintf(otherWay, "bearerTokenSecret")},
		{"oauth2", monitoringv1.HTTPClientConfig{OAuth2: &monitoringv1.OAuth2{ClientID: monitoringv1.SecretOrConfigMap{Secret: secretKey("own", "user")},
			ClientSecret: *secretKey("own", "password"), TokenURL: "https://login.example.com"}},
			"", "", fmt.Sprintf(otherWay, "oauth2")},
	} {
		t.Run("monitors/"+tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in, _ := oneObjectOfEachKind(
				func(m *monitoringv1.ServiceMonitor) { m.Spec.Endpoints[0].HTTPClientConfig = tc.client },
				func(m *monitoringv1.PodMonitor) { m.Spec.PodMetricsEndpoints[0].HTTPClientConfig = tc.client },
				nil, nil)
			in.Probes, in.ScrapeConfigs = nil, nil
			in.Prometheus, in.Store = newPrometheus(withClasses(class)), store()
			res := mustGenerate(t, in)
			cfg := load(t, res.Config)
			if tc.rejected != "" {
				g.Expect(cfg.ScrapeConfigs).To(BeEmpty())
				g.Expect(reasonOf(res.Rejected, "ServiceMonitor", "team-a", "x")).To(Equal("endpoints[0]: " + tc.rejected))
				g.Expect(reasonOf(res.Rejected, "PodMonitor", "team-a", "x")).To(Equal("podMetricsEndpoints[0]: " + tc.rejected))
				return
			}
			g.Expect(res.Rejected).To(BeEmpty())
			g.Expect(cfg.ScrapeConfigs).To(HaveLen(2))
			for _, j := range cfg.ScrapeConfigs {
				a := j.HTTPClientConfig.Authorization
				g.Expect(a).NotTo(BeNil(), j.JobName)
				g.Expect(a.Type).To(Equal(tc.wantType), j.JobName)
				g.Expect(string(a.Credentials)).To(Equal(tc.wantCreds), j.JobName)
			}
		})
	}

	// A Probe's or ScrapeConfig's authorization may give only a type
	// (Prometheus Operator checks it only when it has credentials,
	// store.go AddSafeAuthorizationCredentials): the class gives the
	// credentials (promcfg.go:572). An empty one counts as none (556).
	for _, tc := range []struct {
		name     string
		own      *monitoringv1.SafeAuthorization
		wantType string
	}{
		{"empty", &monitoringv1.SafeAuthorization{}, "Token"},
		{"type only", &monitoringv1.SafeAuthorization{Type: "Custom"}, "Custom"},
	} {
		t.Run("probes and scrape configs/"+tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in, _ := oneObjectOfEachKind(nil, nil,
				func(p *monitoringv1.Probe) { p.Spec.Authorization = tc.own },
				func(s *monitoringv1alpha1.ScrapeConfig) { s.Spec.Authorization = tc.own })
			in.ServiceMonitors, in.PodMonitors = nil, nil
			in.Prometheus, in.Store = newPrometheus(withClasses(class)), store()
			res := mustGenerate(t, in)
			g.Expect(res.Rejected).To(BeEmpty())
			cfg := load(t, res.Config)
			g.Expect(cfg.ScrapeConfigs).To(HaveLen(2))
			for _, j := range cfg.ScrapeConfigs {
				a := j.HTTPClientConfig.Authorization
				g.Expect(a).NotTo(BeNil(), j.JobName)
				g.Expect(a.Type).To(Equal(tc.wantType), j.JobName)
				g.Expect(string(a.Credentials)).To(Equal("from-prometheus-namespace"), j.JobName)
			}
		})
	}

	t.Run("credentials file", func(t *testing.T) {
		g := NewWithT(t)
		const token = "/var/run/secrets/kubernetes.io/serviceaccount/token"
		in, jobs := eachKindNaming(nil)
		in.Prometheus = newPrometheus(withClasses(monitoringv1.ScrapeClass{Name: "sa", Default: ptr(true),
			Authorization: &monitoringv1.Authorization{CredentialsFile: token}}))
		cfg := load(t, mustGenerate(t, in).Config)
		for kind, job := range jobs {
			a := scrapeJob(t, cfg, job).HTTPClientConfig.Authorization
			g.Expect(a).NotTo(BeNil(), kind)
			g.Expect(a.Type).To(Equal("Bearer"), kind)
			g.Expect(a.CredentialsFile).To(Equal(token), kind)
		}
	})

	t.Run("bearerTokenFile", func(t *testing.T) {
		g := NewWithT(t)
		in := Input{Prometheus: newPrometheus(withClasses(class)), Store: store(),
			ServiceMonitors: []*monitoringv1.ServiceMonitor{newServiceMonitor(promNamespace, "x", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints[0].BearerTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token"
			})}}
		res := mustGenerate(t, in)
		g.Expect(reasonOf(res.Rejected, "ServiceMonitor", promNamespace, "x")).To(Equal("endpoints[0]: " + fmt.Sprintf(otherWay, "bearerTokenFile")))
	})
}

// TestInvalidScrapeClassesFailGenerate: what is wrong with the classes
// themselves is the Prometheus object's mistake, which every object using
// them would inherit; Prometheus Operator fails the whole reconcile
// (getScrapeClassConfig, promcfg.go:224; AddScrapeClassesToStore,
// store.go:111). The error names the class.
func TestInvalidScrapeClassesFailGenerate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		classes []monitoringv1.ScrapeClass
		want    string
	}{
		{"two defaults", []monitoringv1.ScrapeClass{{Name: "a", Default: ptr(true)}, {Name: "b"}, {Name: "c", Default: ptr(true)}},
			`spec.scrapeClasses: "a" and "c" are both the default; at most one scrape class may be`},
		{"a name twice", []monitoringv1.ScrapeClass{{Name: "a"}, {Name: "a"}}, `spec.scrapeClasses: "a" is listed twice`},
		{"bad relabel regex", []monitoringv1.ScrapeClass{{Name: "a", Relabelings: []monitoringv1.RelabelConfig{
			{SourceLabels: []monitoringv1.LabelName{"x"}, Regex: "(", TargetLabel: "y"}}}},
			`spec.scrapeClasses["a"]: relabelings: `},
		{"bad metric relabel action", []monitoringv1.ScrapeClass{{Name: "a", MetricRelabelings: []monitoringv1.RelabelConfig{
			{Action: "hashmod", TargetLabel: "y"}}}},
			`spec.scrapeClasses["a"]: metricRelabelings: `},
		{"TLS key file without a certificate", []monitoringv1.ScrapeClass{{Name: "a", TLSConfig: &monitoringv1.TLSConfig{
			TLSFilesConfig: monitoringv1.TLSFilesConfig{KeyFile: "/etc/certs/tls.key"}}}},
			`spec.scrapeClasses["a"]: tlsConfig: `},
		{"missing TLS Secret", []monitoringv1.ScrapeClass{{Name: "a", TLSConfig: &monitoringv1.TLSConfig{
			CA: monitoringv1.SecretOrConfigMap{Secret: secretKey("missing", "ca")}}}},
			`spec.scrapeClasses["a"]: tlsConfig.ca: `},
		{"missing authorization Secret", []monitoringv1.ScrapeClass{{Name: "a", Authorization: &monitoringv1.Authorization{
			Credentials: secretKey("missing", "token")}}},
			`spec.scrapeClasses["a"]: authorization.credentials: `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := Generate(Input{Prometheus: newPrometheus(withClasses(tc.classes...)), Store: newMapStore()})
			g.Expect(err).To(MatchError(HavePrefix(tc.want)))
		})
	}
}
