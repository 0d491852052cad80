package promconfig

import (
	"testing"

	. "github.com/onsi/gomega"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets/assetstest"
)

const (
	tokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token"
	caFile    = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
)

// fileRefCase is one way a ServiceMonitor endpoint names files.
type fileRefCase struct {
	name string
	set  func(ep *monitoringv1.Endpoint)
	// fields are the fields reported, the first one in the reason.
	fields []string
	// check says the loaded job uses the files.
	check func(g Gomega, c *configJob)
}

var fileRefCases = []fileRefCase{
	{"bearerTokenFile", func(ep *monitoringv1.Endpoint) { ep.BearerTokenFile = tokenFile },
		[]string{"endpoints[1].bearerTokenFile"},
		func(g Gomega, c *configJob) {
			g.Expect(c.HTTPClientConfig.Authorization).NotTo(BeNil())
			g.Expect(c.HTTPClientConfig.Authorization.CredentialsFile).To(Equal(tokenFile))
		}},
	{"tlsConfig.caFile", func(ep *monitoringv1.Endpoint) {
		ep.TLSConfig = &monitoringv1.TLSConfig{TLSFilesConfig: monitoringv1.TLSFilesConfig{CAFile: caFile}}
	}, []string{"endpoints[1].tlsConfig.caFile"},
		func(g Gomega, c *configJob) { g.Expect(c.HTTPClientConfig.TLSConfig.CAFile).To(Equal(caFile)) }},
	{"tlsConfig.certFile and keyFile", func(ep *monitoringv1.Endpoint) {
		ep.TLSConfig = &monitoringv1.TLSConfig{TLSFilesConfig: monitoringv1.TLSFilesConfig{
			CertFile: "/etc/prometheus/certs/tls.crt", KeyFile: "/etc/prometheus/certs/tls.key"}}
	}, []string{"endpoints[1].tlsConfig.certFile", "endpoints[1].tlsConfig.keyFile"},
		func(g Gomega, c *configJob) {
			g.Expect(c.HTTPClientConfig.TLSConfig.CertFile).To(Equal("/etc/prometheus/certs/tls.crt"))
			g.Expect(c.HTTPClientConfig.TLSConfig.KeyFile).To(Equal("/etc/prometheus/certs/tls.key"))
		}},
	{"tlsConfig.keyFile with a certificate from a Secret", func(ep *monitoringv1.Endpoint) {
		ep.TLSConfig = &monitoringv1.TLSConfig{
			Cert:           monitoringv1.SecretOrConfigMap{Secret: secretKey("client", "tls.crt")},
			TLSFilesConfig: monitoringv1.TLSFilesConfig{KeyFile: "/etc/prometheus/certs/tls.key"},
		}
	}, []string{"endpoints[1].tlsConfig.keyFile"},
		func(g Gomega, c *configJob) {
			g.Expect(c.HTTPClientConfig.TLSConfig.KeyFile).To(Equal("/etc/prometheus/certs/tls.key"))
		}},
}

// policyCase is where an object is, what the Prometheus object and the
// administrator say, and whether its file references are honoured.
type policyCase struct {
	name      string
	policy    FileReferencePolicy
	namespace string
	deny      bool
	// refusedBy is part of the reason when refused; "" when honoured.
	refusedBy string
}

// serviceMonitorPolicies: as Prometheus Operator, file references are
// honoured from every namespace unless the Prometheus object sets
// arbitraryFSAccessThroughSMs.deny; the administrator's policy can only
// refuse more.
var serviceMonitorPolicies = []policyCase{
	{"default, from another namespace", "", "team-a", false, ""},
	{"all, in the Prometheus's namespace", FileReferencesAll, promNamespace, false, ""},
	{"all, from another namespace", FileReferencesAll, "team-a", false, ""},
	{"all with deny, in the Prometheus's namespace", FileReferencesAll, promNamespace, true, "arbitraryFSAccessThroughSMs.deny"},
	{"all with deny, from another namespace", FileReferencesAll, "team-a", true, "arbitraryFSAccessThroughSMs.deny"},
	{"prometheus-namespace, in the Prometheus's namespace", FileReferencesPrometheusNamespace, promNamespace, false, ""},
	{"prometheus-namespace, from another namespace", FileReferencesPrometheusNamespace, "team-a", false, `--file-references=prometheus-namespace) honours them only in the Prometheus object's namespace "monitoring"`},
	{"prometheus-namespace with deny, in the Prometheus's namespace", FileReferencesPrometheusNamespace, promNamespace, true, "arbitraryFSAccessThroughSMs.deny"},
	{"none, in the Prometheus's namespace", FileReferencesNone, promNamespace, false, "--file-references=none"},
	{"none, from another namespace", FileReferencesNone, "team-a", false, "--file-references=none"},
}

// TestFileReferencePolicy: file references make Prometheus read its own
// filesystem (its service-account token, say) and send it to the target.
// A refused object is left out with a reason naming what refused it, and
// the other objects stay. Every use is reported, honoured or not.
func TestFileReferencePolicy(t *testing.T) {
	for _, ref := range fileRefCases {
		for _, tc := range serviceMonitorPolicies {
			t.Run(ref.name+"/"+tc.name, func(t *testing.T) {
				g := NewWithT(t)
				withFile := newServiceMonitor(tc.namespace, "with-file", func(m *monitoringv1.ServiceMonitor) {
					m.Spec.Endpoints = append(m.Spec.Endpoints, monitoringv1.Endpoint{Port: "https"})
					ref.set(&m.Spec.Endpoints[1])
				})
				other := newServiceMonitor(tc.namespace, "other")
				store := newMapStore().
					withSecret(tc.namespace, "client", map[string]string{"tls.crt": assetstest.ClientCert})
				res := mustGenerate(t, Input{
					Prometheus: newPrometheus(func(p *monitoringv1.Prometheus) {
						p.Spec.ArbitraryFSAccessThroughSMs.Deny = tc.deny
					}),
					ServiceMonitors:     []*monitoringv1.ServiceMonitor{withFile, other},
					Store:               store,
					FileReferencePolicy: tc.policy,
				})
				cfg := load(t, res.Config)

				g.Expect(res.FileReferences).To(HaveLen(len(ref.fields)))
				for i, r := range res.FileReferences {
					g.Expect(r.Kind + " " + r.Namespace + "/" + r.Name).To(Equal("ServiceMonitor " + tc.namespace + "/with-file"))
					g.Expect(r.Field).To(Equal(ref.fields[i]))
					g.Expect(r.Path).NotTo(BeEmpty())
					g.Expect(r.Effect()).To(HavePrefix("Prometheus "))
					if tc.refusedBy == "" {
						g.Expect(r.Refused).To(BeEmpty())
					} else {
						g.Expect(r.Refused).To(ContainSubstring(tc.refusedBy))
					}
				}

				if tc.refusedBy != "" {
					g.Expect(res.FileReferences[0].Notice()).To(HaveSuffix(" (refused: " + res.FileReferences[0].Refused + ")"))
				}
				if tc.refusedBy == "" {
					g.Expect(res.Rejected).To(BeEmpty())
					ref.check(g, scrapeJob(t, cfg, "serviceMonitor/"+tc.namespace+"/with-file/1"))
					return
				}
				g.Expect(rejectedNames(res.Rejected)).To(Equal([]string{"ServiceMonitor " + tc.namespace + "/with-file"}))
				reason := res.Rejected[0].Message()
				g.Expect(reason).To(HavePrefix("endpoints[1]: " + ref.fields[0][len("endpoints[1]."):] + ": file reference refused: "))
				g.Expect(reason).To(ContainSubstring(tc.refusedBy))
				g.Expect(jobNames(cfg)).To(Equal([]string{"serviceMonitor/" + tc.namespace + "/other/0"}),
					"the monitor's other endpoint goes with it; other monitors stay")
			})
		}
	}
}

// TestFileSDPolicy: a ScrapeConfig's fileSDConfigs make Prometheus read
// its own files too. Prometheus Operator honours them whatever
// arbitraryFSAccessThroughSMs says (it is about ServiceMonitors, whose
// files are sent to targets); the administrator's policy covers them.
func TestFileSDPolicy(t *testing.T) {
	for _, tc := range []policyCase{
		{"default, from another namespace", "", "team-a", false, ""},
		{"all with deny, from another namespace", FileReferencesAll, "team-a", true, ""},
		{"prometheus-namespace, in the Prometheus's namespace", FileReferencesPrometheusNamespace, promNamespace, false, ""},
		{"prometheus-namespace, from another namespace", FileReferencesPrometheusNamespace, "team-a", false, "--file-references=prometheus-namespace"},
		{"none, in the Prometheus's namespace", FileReferencesNone, promNamespace, false, "--file-references=none"},
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
				ScrapeConfigs:       []*monitoringv1alpha1.ScrapeConfig{files, static},
				FileReferencePolicy: tc.policy,
			})
			cfg := load(t, res.Config)
			g.Expect(res.FileReferences).To(HaveExactElements(HaveField("Field", "fileSDConfigs[0].files[0]")))
			g.Expect(res.FileReferences[0].Effect()).To(ContainSubstring("reads its own file"))
			if tc.refusedBy == "" {
				g.Expect(res.Rejected).To(BeEmpty())
				g.Expect(res.FileReferences[0].Refused).To(BeEmpty())
				g.Expect(string(res.Config)).To(ContainSubstring("/etc/prometheus/sd/*.json"))
				g.Expect(scrapeJob(t, cfg, "scrapeConfig/"+tc.namespace+"/files").ServiceDiscoveryConfigs).To(HaveLen(1))
				return
			}
			g.Expect(rejectedNames(res.Rejected)).To(Equal([]string{"ScrapeConfig " + tc.namespace + "/files"}))
			g.Expect(res.Rejected[0].Message()).To(HavePrefix("fileSDConfigs[0].files[0]: file reference refused: "))
			g.Expect(res.Rejected[0].Message()).To(ContainSubstring(tc.refusedBy))
			g.Expect(res.FileReferences[0].Refused).To(ContainSubstring(tc.refusedBy))
			g.Expect(jobNames(cfg)).To(Equal([]string{"scrapeConfig/" + tc.namespace + "/static"}))
			g.Expect(string(res.Config)).NotTo(ContainSubstring("/etc/prometheus/sd"))
		})
	}
}

// TestFileReferencesReportedInOrder: the report is sorted by object, and
// by place within an object (endpoints[10] after endpoints[2]), whatever
// the order of the input; objects without files are not in it, nor are
// objects of kinds that cannot name files.
func TestFileReferencesReportedInOrder(t *testing.T) {
	g := NewWithT(t)
	many := newServiceMonitor("team-b", "many", func(m *monitoringv1.ServiceMonitor) {
		m.Spec.Endpoints = make([]monitoringv1.Endpoint, 11)
		for i := range m.Spec.Endpoints {
			m.Spec.Endpoints[i].Port = "web"
		}
		m.Spec.Endpoints[2].BearerTokenFile = tokenFile
		m.Spec.Endpoints[10].BearerTokenFile = tokenFile
	})
	one := newServiceMonitor("team-a", "one", func(m *monitoringv1.ServiceMonitor) {
		m.Spec.Endpoints[0].TLSConfig = &monitoringv1.TLSConfig{TLSFilesConfig: monitoringv1.TLSFilesConfig{CAFile: caFile}}
	})
	res := mustGenerate(t, Input{
		Prometheus:      newPrometheus(),
		ServiceMonitors: []*monitoringv1.ServiceMonitor{many, newServiceMonitor("team-a", "none"), one},
		PodMonitors:     []*monitoringv1.PodMonitor{newPodMonitor("team-a", "pods")},
	})
	var got []string
	for _, r := range res.FileReferences {
		got = append(got, r.Namespace+"/"+r.Name+" "+r.Field+"="+r.Path)
	}
	g.Expect(got).To(Equal([]string{
		"team-a/one endpoints[0].tlsConfig.caFile=" + caFile,
		"team-b/many endpoints[2].bearerTokenFile=" + tokenFile,
		"team-b/many endpoints[10].bearerTokenFile=" + tokenFile,
	}))
	g.Expect(res.FileReferences[0].String()).To(Equal("ServiceMonitor team-a/one: uses file reference endpoints[0].tlsConfig.caFile=" +
		caFile + ": Prometheus verifies this object's targets with its own CA file"))
}

// TestFileReferencePolicyFlag: the policy is a flag value.
func TestFileReferencePolicyFlag(t *testing.T) {
	g := NewWithT(t)
	var p FileReferencePolicy
	g.Expect(p.String()).To(Equal("all"))
	for _, v := range []string{"all", "prometheus-namespace", "none"} {
		g.Expect(p.Set(v)).To(Succeed())
		g.Expect(p.String()).To(Equal(v))
	}
	g.Expect(p.Set("some")).To(MatchError(ContainSubstring(`unknown file reference policy "some"`)))
	g.Expect(p).To(Equal(FileReferencesNone), "a refused value changes nothing")

	_, err := Generate(Input{Prometheus: newPrometheus(), FileReferencePolicy: "everything"})
	g.Expect(err).To(MatchError(ContainSubstring(`unknown file reference policy "everything"`)))
}

// TestFileReferencesOfThePrometheusObject: remote write and read and the
// Alertmanager endpoints belong to the Prometheus object, whose
// administrator may name files even with deny set and the strictest
// policy, as Prometheus Operator allows; they are not reported.
func TestFileReferencesOfThePrometheusObject(t *testing.T) {
	g := NewWithT(t)
	p := newPrometheus(func(p *monitoringv1.Prometheus) {
		p.Spec.ArbitraryFSAccessThroughSMs.Deny = true
		p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{URL: "https://rw.example.com/push", BearerTokenFile: tokenFile}}
		p.Spec.RemoteRead = []monitoringv1.RemoteReadSpec{{URL: "https://rr.example.com/read",
			TLSConfig: &monitoringv1.TLSConfig{TLSFilesConfig: monitoringv1.TLSFilesConfig{CAFile: "/etc/ca.crt"}}}}
		p.Spec.Alerting = &monitoringv1.AlertingSpec{Alertmanagers: []monitoringv1.AlertmanagerEndpoints{{
			Name: "alertmanager", Port: *namedPort("web"), BearerTokenFile: tokenFile,
		}}}
	})
	res := mustGenerate(t, Input{Prometheus: p, FileReferencePolicy: FileReferencesNone})
	cfg := load(t, res.Config)
	g.Expect(cfg.RemoteWriteConfigs[0].HTTPClientConfig.Authorization.CredentialsFile).To(Equal(tokenFile))
	g.Expect(cfg.RemoteReadConfigs[0].HTTPClientConfig.TLSConfig.CAFile).To(Equal("/etc/ca.crt"))
	g.Expect(cfg.AlertingConfig.AlertmanagerConfigs[0].HTTPClientConfig.Authorization.CredentialsFile).To(Equal(tokenFile))
	g.Expect(res.FileReferences).To(BeEmpty())
}
