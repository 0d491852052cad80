package promconfig

import (
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// goodObjects are objects of every kind that must survive whatever bad
// object sits next to them.
func goodObjects() Input {
	return Input{
		ServiceMonitors: []*monitoringv1.ServiceMonitor{newServiceMonitor("team-a", "good")},
		PodMonitors:     []*monitoringv1.PodMonitor{newPodMonitor("team-a", "good")},
		Probes:          []*monitoringv1.Probe{newProbe("team-a", "good")},
		ScrapeConfigs:   []*monitoringv1alpha1.ScrapeConfig{newScrapeConfig("team-a", "good")},
	}
}

var goodJobs = []string{
	"serviceMonitor/team-a/good/0", "podMonitor/team-a/good/0", "probe/team-a/good", "scrapeConfig/team-a/good",
}

// TestBadObjectIsLeftOut: an object only the operator can find wrong is
// left out with its reason, and every other object stays.
func TestBadObjectIsLeftOut(t *testing.T) {
	withEndpoint := func(ep monitoringv1.Endpoint) func(*monitoringv1.ServiceMonitor) {
		return func(m *monitoringv1.ServiceMonitor) { m.Spec.Endpoints = []monitoringv1.Endpoint{ep} }
	}
	relabeling := func(r monitoringv1.RelabelConfig) monitoringv1.Endpoint {
		return monitoringv1.Endpoint{Port: "web", RelabelConfigs: []monitoringv1.RelabelConfig{r}}
	}
	basicAuth := &monitoringv1.BasicAuth{Username: *secretKey("creds", "username"), Password: *secretKey("creds", "password")}
	for _, tc := range []struct {
		name   string
		add    func(in *Input)
		kind   string
		reason string
		// reasonParts must all appear in the reason; reason, when set, is
		// the whole reason.
		reasonParts []string
	}{
		{
			name: "missing Secret",
			add: func(in *Input) {
				in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", withEndpoint(monitoringv1.Endpoint{
					Port: "web", HTTPClientConfig: monitoringv1.HTTPClientConfig{BasicAuth: &monitoringv1.BasicAuth{
						Username: *secretKey("nope", "username"), Password: *secretKey("nope", "password")}},
				})))
			},
			kind: "ServiceMonitor", reason: "endpoints[0]: basicAuth.username: secret team-a/nope not found",
		},
		{
			name: "missing key",
			add: func(in *Input) {
				in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", withEndpoint(monitoringv1.Endpoint{
					Port: "web", HTTPClientConfig: monitoringv1.HTTPClientConfig{BearerTokenSecret: secretKey("creds", "token")},
				})))
			},
			kind: "ServiceMonitor", reason: `endpoints[0]: bearerTokenSecret: secret team-a/creds has no key "token": not found`,
		},
		{
			name: "missing ConfigMap of a TLS CA",
			add: func(in *Input) {
				in.PodMonitors = append(in.PodMonitors, newPodMonitor("team-a", "bad", func(m *monitoringv1.PodMonitor) {
					m.Spec.PodMetricsEndpoints[0].TLSConfig = &monitoringv1.SafeTLSConfig{
						CA: monitoringv1.SecretOrConfigMap{ConfigMap: configMapKey("ca", "ca.crt")}}
				}))
			},
			kind: "PodMonitor", reason: "podMetricsEndpoints[0]: tlsConfig.ca: configmap team-a/ca not found",
		},
		{
			name: "missing Secret of a Probe",
			add: func(in *Input) {
				in.Probes = append(in.Probes, newProbe("team-a", "bad", func(p *monitoringv1.Probe) { p.Spec.BasicAuth = basicAuth }))
			},
			kind: "Probe", reason: `basicAuth.password: secret team-a/creds has no key "password": not found`,
		},
		{
			name: "missing Secret of a ScrapeConfig's HTTP discovery",
			add: func(in *Input) {
				in.ScrapeConfigs = append(in.ScrapeConfigs, newScrapeConfig("team-a", "bad", func(s *monitoringv1alpha1.ScrapeConfig) {
					s.Spec.HTTPSDConfigs = []monitoringv1alpha1.HTTPSDConfig{{URL: "https://sd.example.com", BasicAuth: basicAuth}}
				}))
			},
			kind: "ScrapeConfig", reason: `httpSDConfigs[0]: basicAuth.password: secret team-a/creds has no key "password": not found`,
		},
		{
			name: "unparsable relabel regex",
			add: func(in *Input) {
				in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", withEndpoint(relabeling(monitoringv1.RelabelConfig{
					SourceLabels: []monitoringv1.LabelName{"__meta_kubernetes_pod_name"}, Regex: "(unclosed", Action: "keep",
				}))))
			},
			kind: "ServiceMonitor", reasonParts: []string{"error parsing regexp: missing closing )", "(unclosed"},
		},
		{
			name: "unparsable metric relabel regex",
			add: func(in *Input) {
				in.ScrapeConfigs = append(in.ScrapeConfigs, newScrapeConfig("team-a", "bad", func(s *monitoringv1alpha1.ScrapeConfig) {
					s.Spec.MetricRelabelings = []monitoringv1.RelabelConfig{{SourceLabels: []monitoringv1.LabelName{"__name__"}, Regex: "a{2,1}", Action: "drop"}}
				}))
			},
			kind: "ScrapeConfig", reasonParts: []string{"error parsing regexp: invalid repeat count"},
		},
		{
			name: "replace without a target label",
			add: func(in *Input) {
				in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", withEndpoint(relabeling(monitoringv1.RelabelConfig{
					SourceLabels: []monitoringv1.LabelName{"__address__"}, Action: "replace",
				}))))
			},
			kind: "ServiceMonitor", reasonParts: []string{"requires 'target_label' value"},
		},
		{
			name: "hashmod without a modulus",
			add: func(in *Input) {
				in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", withEndpoint(relabeling(monitoringv1.RelabelConfig{
					SourceLabels: []monitoringv1.LabelName{"__address__"}, TargetLabel: "__tmp_mod", Action: "HashMod",
				}))))
			},
			kind: "ServiceMonitor", reasonParts: []string{"modulus"},
		},
		{
			name: "scrapeTimeout greater than interval",
			add: func(in *Input) {
				in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", withEndpoint(monitoringv1.Endpoint{
					Port: "web", Interval: "10s", ScrapeTimeout: "30s",
				})))
			},
			kind: "ServiceMonitor", reasonParts: []string{"scrape timeout greater than scrape interval", `"serviceMonitor/team-a/bad/0"`},
		},
		{
			name: "scrapeTimeout greater than the global interval",
			add: func(in *Input) {
				in.PodMonitors = append(in.PodMonitors, newPodMonitor("team-a", "bad", func(m *monitoringv1.PodMonitor) {
					m.Spec.PodMetricsEndpoints[0].ScrapeTimeout = "1m"
				}))
			},
			kind: "PodMonitor", reasonParts: []string{"scrape timeout greater than scrape interval"},
		},
		{
			name: "unparsable interval",
			add: func(in *Input) {
				in.Probes = append(in.Probes, newProbe("team-a", "bad", func(p *monitoringv1.Probe) { p.Spec.Interval = "1 minute" }))
			},
			kind: "Probe", reasonParts: []string{`"1 minute"`},
		},
		{
			name: "Probe with neither staticConfig nor ingress",
			add: func(in *Input) {
				in.Probes = append(in.Probes, newProbe("team-a", "bad", func(p *monitoringv1.Probe) {
					p.Spec.Targets = monitoringv1.ProbeTargets{}
				}))
			},
			kind: "Probe", reason: "targets: neither staticConfig nor ingress is set",
		},
		{
			name: "authorization of type Basic",
			add: func(in *Input) {
				in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", withEndpoint(monitoringv1.Endpoint{
					Port: "web", HTTPClientConfig: monitoringv1.HTTPClientConfig{Authorization: &monitoringv1.SafeAuthorization{
						Type: "Basic", Credentials: secretKey("creds", "username")}},
				})))
			},
			kind: "ServiceMonitor", reasonParts: []string{"basic_auth"},
		},
		{
			name: "basic auth and OAuth2 together",
			add: func(in *Input) {
				in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", withEndpoint(monitoringv1.Endpoint{
					Port: "web", HTTPClientConfig: monitoringv1.HTTPClientConfig{
						BasicAuth: &monitoringv1.BasicAuth{Username: *secretKey("creds", "username")},
						OAuth2: &monitoringv1.OAuth2{ClientID: monitoringv1.SecretOrConfigMap{Secret: secretKey("creds", "username")},
							ClientSecret: *secretKey("creds", "username"), TokenURL: "https://login.example.com"},
					},
				})))
			},
			kind: "ServiceMonitor", reasonParts: []string{"at most one of basic_auth, oauth2"},
		},
		{
			name: "the second endpoint is bad",
			add: func(in *Input) {
				in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", func(m *monitoringv1.ServiceMonitor) {
					m.Spec.Endpoints = append(m.Spec.Endpoints, monitoringv1.Endpoint{Port: "web", Path: "/x", Interval: "forever"})
				}))
			},
			kind: "ServiceMonitor", reasonParts: []string{`"forever"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in := goodObjects()
			in.Prometheus = newPrometheus()
			in.Store = newMapStore().withSecret("team-a", "creds", map[string]string{"username": "u"})
			tc.add(&in)
			res := mustGenerate(t, in)

			g.Expect(rejectedNames(res.Rejected)).To(Equal([]string{tc.kind + " team-a/bad"}))
			reason := res.Rejected[0].Message()
			if tc.reason != "" {
				g.Expect(reason).To(Equal(tc.reason))
			}
			for _, part := range tc.reasonParts {
				g.Expect(reason).To(ContainSubstring(part))
			}
			g.Expect(jobNames(load(t, res.Config))).To(ConsistOf(goodJobs))
		})
	}
}

// TestManyBadObjects: several bad objects of several kinds are each
// reported once, sorted by kind, namespace and name.
func TestManyBadObjects(t *testing.T) {
	g := NewWithT(t)
	in := goodObjects()
	in.Prometheus = newPrometheus()
	badRegex := func(m *monitoringv1.ServiceMonitor) {
		m.Spec.Endpoints[0].RelabelConfigs = []monitoringv1.RelabelConfig{{Regex: "[", Action: "drop", SourceLabels: []monitoringv1.LabelName{"a"}}}
	}
	in.ServiceMonitors = append(in.ServiceMonitors,
		newServiceMonitor("team-b", "regex", badRegex),
		newServiceMonitor("team-a", "regex", badRegex),
		newServiceMonitor("team-a", "token", func(m *monitoringv1.ServiceMonitor) {
			m.Spec.Endpoints[0].BearerTokenSecret = secretKey("gone", "token")
		}))
	in.Probes = append(in.Probes, newProbe("team-a", "empty", func(p *monitoringv1.Probe) { p.Spec.Targets = monitoringv1.ProbeTargets{} }))
	res := mustGenerate(t, in)
	g.Expect(rejectedNames(res.Rejected)).To(Equal([]string{
		"Probe team-a/empty", "ServiceMonitor team-a/regex", "ServiceMonitor team-a/token", "ServiceMonitor team-b/regex",
	}))
	g.Expect(reasonOf(res.Rejected, "ServiceMonitor", "team-a", "token")).To(ContainSubstring(`secret "gone" in namespace "team-a": not found`),
		"no Store at all is a missing Secret, not a crash")
	g.Expect(jobNames(load(t, res.Config))).To(ConsistOf(goodJobs))
}

// TestPrometheusOwnInputFailsGenerate: what the Prometheus object itself
// gets wrong cannot be blamed on a monitor: Generate returns an error and
// the caller keeps the last good configuration.
func TestPrometheusOwnInputFailsGenerate(t *testing.T) {
	additional := func(p *monitoringv1.Prometheus) { p.Spec.AdditionalScrapeConfigs = secretKey("extra", "jobs.yaml") }
	for _, tc := range []struct {
		name    string
		prom    func(*monitoringv1.Prometheus)
		extra   string
		wantErr string
	}{
		{name: "additionalScrapeConfigs are not YAML", prom: additional, extra: "- job_name: [unclosed\n  static_configs: {{",
			wantErr: "additionalScrapeConfigs: secret extra key jobs.yaml is not a YAML list"},
		{name: "additionalScrapeConfigs are a map, not a list", prom: additional, extra: "job_name: x\n",
			wantErr: "additionalScrapeConfigs"},
		{name: "additionalScrapeConfigs that Prometheus refuses", prom: additional,
			extra: "- job_name: x\n  scrape_interval: often\n", wantErr: "generated configuration does not load"},
		{name: "additionalScrapeConfigs with an unknown field", prom: additional,
			extra: "- job_name: x\n  not_a_field: 1\n", wantErr: "not_a_field"},
		{name: "additionalScrapeConfigs naming two jobs alike", prom: additional,
			extra: "- job_name: x\n- job_name: x\n", wantErr: `found multiple scrape configs with job name "x"`},
		{name: "additionalScrapeConfigs Secret missing", prom: func(p *monitoringv1.Prometheus) {
			p.Spec.AdditionalScrapeConfigs = secretKey("missing", "jobs.yaml")
		}, wantErr: "additionalScrapeConfigs: secret monitoring/missing not found"},
		{name: "remote write Secret missing", prom: func(p *monitoringv1.Prometheus) {
			p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{URL: "https://rw.example.com",
				BasicAuth: &monitoringv1.BasicAuth{Username: *secretKey("missing", "u"), Password: *secretKey("missing", "p")}}}
		}, wantErr: "remoteWrite[0]: basicAuth.username: secret monitoring/missing not found"},
		{name: "remote write relabel regex Prometheus refuses", prom: func(p *monitoringv1.Prometheus) {
			p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{URL: "https://rw.example.com",
				WriteRelabelConfigs: []monitoringv1.RelabelConfig{{Regex: "(", Action: "drop", SourceLabels: []monitoringv1.LabelName{"a"}}}}}
		}, wantErr: "error parsing regexp"},
		{name: "remote write to Azure without a way to authenticate", prom: func(p *monitoringv1.Prometheus) {
			p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{URL: "https://rw.example.com", AzureAD: &monitoringv1.AzureAD{}}}
		}, wantErr: "must provide an Azure Managed Identity"},
		{name: "remote write to Azure Secret missing", prom: func(p *monitoringv1.Prometheus) {
			p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{URL: "https://rw.example.com", AzureAD: &monitoringv1.AzureAD{
				OAuth: &monitoringv1.AzureOAuth{ClientID: "c", TenantID: "t", ClientSecret: *secretKey("missing", "s")}}}}
		}, wantErr: "remoteWrite[0]: azureAd.oauth.clientSecret: secret monitoring/missing not found"},
		{name: "Alertmanager Secret missing", prom: func(p *monitoringv1.Prometheus) {
			p.Spec.Alerting = &monitoringv1.AlertingSpec{Alertmanagers: []monitoringv1.AlertmanagerEndpoints{{
				Name: "am", Port: *namedPort("web"), Authorization: &monitoringv1.SafeAuthorization{Credentials: secretKey("missing", "t")}}}}
		}, wantErr: "alerting: alertmanagers[0]: authorization.credentials: secret monitoring/missing not found"},
		{name: "global scrape timeout over the interval", prom: func(p *monitoringv1.Prometheus) {
			p.Spec.ScrapeInterval, p.Spec.ScrapeTimeout = "10s", "1m"
		}, wantErr: "generated configuration does not load"},
		{name: "unparsable evaluation interval", prom: func(p *monitoringv1.Prometheus) {
			p.Spec.EvaluationInterval = "sometimes"
		}, wantErr: "generated configuration does not load"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in := goodObjects()
			in.Prometheus = newPrometheus(tc.prom)
			in.Store = newMapStore().withSecret(promNamespace, "extra", map[string]string{"jobs.yaml": tc.extra})
			res, err := Generate(in)
			g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
			g.Expect(res.Config).To(BeNil())
		})
	}
}

// TestAdditionalScrapeConfigsEmpty: an empty Secret value adds no job.
func TestAdditionalScrapeConfigsEmpty(t *testing.T) {
	g := NewWithT(t)
	in := goodObjects()
	in.Prometheus = newPrometheus(func(p *monitoringv1.Prometheus) { p.Spec.AdditionalScrapeConfigs = secretKey("extra", "jobs.yaml") })
	in.Store = newMapStore().withSecret(promNamespace, "extra", map[string]string{"jobs.yaml": ""})
	res := mustGenerate(t, in)
	g.Expect(jobNames(load(t, res.Config))).To(ConsistOf(goodJobs))
}

// TestInvalidSelectorIsRejected: a selector Kubernetes would refuse (an
// unknown operator, In without values) cannot be turned into relabel rules
// that mean the same; Prometheus Operator rejects such a monitor
// (checkServiceMonitor calls LabelSelectorAsSelector), and so must Vigil,
// whichever selector mechanism the monitor uses.
func TestInvalidSelectorIsRejected(t *testing.T) {
	for _, tc := range []struct {
		name      string
		mechanism monitoringv1.SelectorMechanism
		req       metav1.LabelSelectorRequirement
	}{
		{name: "unknown operator, role selector", mechanism: monitoringv1.SelectorMechanismRole,
			req: metav1.LabelSelectorRequirement{Key: "tier", Operator: "Near", Values: []string{"api"}}},
		{name: "In without values, role selector", mechanism: monitoringv1.SelectorMechanismRole,
			req: metav1.LabelSelectorRequirement{Key: "tier", Operator: metav1.LabelSelectorOpIn}},
		{name: "unknown operator, relabel rules", mechanism: monitoringv1.SelectorMechanismRelabel,
			req: metav1.LabelSelectorRequirement{Key: "tier", Operator: "Near", Values: []string{"api"}}},
		{name: "In without values, relabel rules", mechanism: monitoringv1.SelectorMechanismRelabel,
			req: metav1.LabelSelectorRequirement{Key: "tier", Operator: metav1.LabelSelectorOpIn}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in := goodObjects()
			in.Prometheus = newPrometheus()
			in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "bad", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.SelectorMechanism = ptr(tc.mechanism)
				m.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{tc.req}
			}))
			in.PodMonitors = append(in.PodMonitors, newPodMonitor("team-a", "bad", func(m *monitoringv1.PodMonitor) {
				m.Spec.SelectorMechanism = ptr(tc.mechanism)
				m.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{tc.req}
			}))
			res := mustGenerate(t, in)
			g.Expect(rejectedNames(res.Rejected)).To(Equal([]string{"PodMonitor team-a/bad", "ServiceMonitor team-a/bad"}))
			for _, r := range res.Rejected {
				g.Expect(r.Message()).To(ContainSubstring("selector"))
			}
			g.Expect(jobNames(load(t, res.Config))).To(ConsistOf(goodJobs))
		})
	}
}
