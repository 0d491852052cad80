package promconfig

import (
	"maps"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/prometheus/model/labels"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// endpointTarget is what Prometheus's Kubernetes discovery gives one
// endpoint of Service "api" in team-a backed by pod api-7d9f (container
// "server", port "web" 8080), for role endpoints or endpointslice.
func endpointTarget(role string, changes ...func(map[string]string)) map[string]string {
	meta := "__meta_kubernetes_endpoint"
	if role == "endpointslice" {
		meta = "__meta_kubernetes_endpointslice"
	}
	t := map[string]string{
		"__address__":                                          "10.213.0.7:8080",
		"__meta_kubernetes_namespace":                          "team-a",
		"__meta_kubernetes_service_name":                       "api",
		"__meta_kubernetes_service_label_app":                  "api",
		"__meta_kubernetes_service_labelpresent_app":           "true",
		"__meta_kubernetes_service_label_team":                 "payments",
		"__meta_kubernetes_service_labelpresent_team":          "true",
		meta + "_port_name":                                    "web",
		meta + "_port_protocol":                                "TCP",
		meta + "_address_target_kind":                          "Pod",
		meta + "_address_target_name":                          "api-7d9f",
		"__meta_kubernetes_pod_name":                           "api-7d9f",
		"__meta_kubernetes_pod_container_name":                 "server",
		"__meta_kubernetes_pod_container_port_name":            "web",
		"__meta_kubernetes_pod_container_port_number":          "8080",
		"__meta_kubernetes_pod_phase":                          "Running",
		"__meta_kubernetes_pod_node_name":                      "node-1",
		"__meta_kubernetes_pod_label_pod_template_hash":        "7d9f",
		"__meta_kubernetes_pod_labelpresent_pod_template_hash": "true",
	}
	if role == "endpointslice" {
		t["__meta_kubernetes_endpointslice_name"] = "api-x7k2p"
	} else {
		t["__meta_kubernetes_endpoints_name"] = "api"
	}
	for _, c := range changes {
		c(t)
	}
	return t
}

// targetLabelsOf generates the configuration, loads it with Prometheus's
// parser and builds the target of one discovered endpoint with
// Prometheus's own relabeling.
func targetLabelsOf(t *testing.T, in Input, jobName string, meta map[string]string) (map[string]string, bool) {
	t.Helper()
	if in.Prometheus == nil {
		in.Prometheus = newPrometheus()
	}
	res := mustGenerate(t, in)
	if len(res.Rejected) > 0 {
		t.Fatalf("rejected: %v", res.Rejected)
	}
	return discover(t, scrapeJob(t, load(t, res.Config), jobName), meta)
}

// TestServiceMonitorTargetLabels checks, end to end through Prometheus's
// relabeling, the labels Prometheus Operator users' dashboards and alerts
// rely on.
func TestServiceMonitorTargetLabels(t *testing.T) {
	podLabels := map[string]string{
		"container": "server", "endpoint": "web", "instance": "10.213.0.7:8080", "job": "api",
		"namespace": "team-a", "pod": "api-7d9f", "service": "api",
	}
	with := func(extra map[string]string, without ...string) map[string]string {
		out := maps.Clone(podLabels)
		maps.Copy(out, extra)
		for _, k := range without {
			delete(out, k)
		}
		return out
	}
	set := func(k, v string) func(map[string]string) { return func(m map[string]string) { m[k] = v } }
	for _, tc := range []struct {
		name    string
		monitor func(*monitoringv1.ServiceMonitor)
		role    string
		target  []func(map[string]string)
		want    map[string]string // nil: the target is dropped
	}{
		{name: "endpoints role", role: "endpoints", want: podLabels},
		{name: "endpointslice role", role: "endpointslice",
			monitor: func(m *monitoringv1.ServiceMonitor) {
				m.Spec.ServiceDiscoveryRole = ptr(monitoringv1.EndpointSliceRole)
			},
			want: podLabels},
		{name: "the Prometheus's discovery role", role: "endpointslice", want: podLabels},
		{name: "jobLabel present", role: "endpoints",
			monitor: func(m *monitoringv1.ServiceMonitor) { m.Spec.JobLabel = "app.kubernetes.io/name" },
			target:  []func(map[string]string){set("__meta_kubernetes_service_label_app_kubernetes_io_name", "payments-api")},
			want:    with(map[string]string{"job": "payments-api"})},
		{name: "jobLabel absent falls back to the Service's name", role: "endpoints",
			monitor: func(m *monitoringv1.ServiceMonitor) { m.Spec.JobLabel = "app.kubernetes.io/name" },
			want:    podLabels},
		{name: "targetLabels and podTargetLabels", role: "endpoints",
			monitor: func(m *monitoringv1.ServiceMonitor) {
				m.Spec.TargetLabels = []string{"team", "missing"}
				m.Spec.PodTargetLabels = []string{"pod-template-hash"}
			},
			want: with(map[string]string{"team": "payments", "pod_template_hash": "7d9f"})},
		{name: "a node target (kubelet)", role: "endpoints",
			target: []func(map[string]string){
				set("__meta_kubernetes_endpoint_address_target_kind", "Node"),
				set("__meta_kubernetes_endpoint_address_target_name", "node-1"),
				set("__address__", "192.168.0.10:10250"),
				func(m map[string]string) {
					for k := range m {
						if len(k) > 22 && k[:22] == "__meta_kubernetes_pod_" {
							delete(m, k)
						}
					}
				},
			},
			want: with(map[string]string{"node": "node-1", "instance": "192.168.0.10:10250"}, "pod", "container")},
		{name: "targetPort number", role: "endpoints",
			monitor: func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints[0] = monitoringv1.Endpoint{TargetPort: intPort(8080)}
			},
			want: with(map[string]string{"endpoint": "8080"})},
		{name: "targetPort name", role: "endpoints",
			monitor: func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints[0] = monitoringv1.Endpoint{TargetPort: namedPort("web")}
			},
			want: podLabels},
		// A targetPort of 0 filters nothing but still names the endpoint,
		// as in Prometheus Operator (pkg/prometheus/promcfg.go:2196-2206).
		{name: "targetPort 0", role: "endpoints",
			monitor: func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints[0] = monitoringv1.Endpoint{TargetPort: intPort(0)}
			},
			target: []func(map[string]string){set("__meta_kubernetes_endpoint_port_name", "grpc")},
			want:   with(map[string]string{"endpoint": "0"})},
		{name: "another port is dropped", role: "endpoints",
			target: []func(map[string]string){set("__meta_kubernetes_endpoint_port_name", "grpc")}},
		{name: "another Service is dropped", role: "endpoints",
			target: []func(map[string]string){set("__meta_kubernetes_service_label_app", "web")}},
		{name: "a Succeeded pod is dropped", role: "endpoints",
			target: []func(map[string]string){set("__meta_kubernetes_pod_phase", "Succeeded")}},
		{name: "filterRunning false keeps a Failed pod", role: "endpoints",
			monitor: func(m *monitoringv1.ServiceMonitor) { m.Spec.Endpoints[0].FilterRunning = ptr(false) },
			target:  []func(map[string]string){set("__meta_kubernetes_pod_phase", "Failed")},
			want:    podLabels},
		{name: "user relabelings run after the standard labels", role: "endpoints",
			monitor: func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints[0].RelabelConfigs = []monitoringv1.RelabelConfig{
					{SourceLabels: []monitoringv1.LabelName{"__meta_kubernetes_pod_node_name"}, TargetLabel: "node"},
					{SourceLabels: []monitoringv1.LabelName{"job"}, TargetLabel: "job", Replacement: ptr("team-a-$1")},
					{Regex: "container", Action: "labeldrop"},
				}
			},
			want: with(map[string]string{"node": "node-1", "job": "team-a-api"}, "container")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			m := newServiceMonitor("team-a", "api")
			if tc.monitor != nil {
				tc.monitor(m)
			}
			p := newPrometheus(func(p *monitoringv1.Prometheus) {
				if tc.name == "the Prometheus's discovery role" {
					p.Spec.ServiceDiscoveryRole = ptr(monitoringv1.EndpointSliceRole)
				}
			})
			got, kept := targetLabelsOf(t, Input{Prometheus: p, ServiceMonitors: []*monitoringv1.ServiceMonitor{m}},
				"serviceMonitor/team-a/api/0", endpointTarget(tc.role, tc.target...))
			if tc.want == nil {
				g.Expect(kept).To(BeFalse(), "dropped, got %v", got)
				return
			}
			g.Expect(kept).To(BeTrue())
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

// TestEnforcedNamespaceLabelWins: a tenant's relabeling cannot claim
// another namespace when enforcedNamespaceLabel is "namespace", and an
// excluded object keeps its own relabeling.
func TestEnforcedNamespaceLabelWins(t *testing.T) {
	claim := []monitoringv1.RelabelConfig{{TargetLabel: "namespace", Replacement: ptr("kube-system")}}
	for _, tc := range []struct {
		name     string
		excluded []monitoringv1.ObjectReference
		want     string
	}{
		{"enforced", nil, "team-a"},
		{"excluded by name", []monitoringv1.ObjectReference{{Resource: "servicemonitors", Namespace: "team-a", Name: "api"}}, "kube-system"},
		{"excluded by namespace", []monitoringv1.ObjectReference{{Resource: "servicemonitors", Namespace: "team-a"}}, "kube-system"},
		{"another object excluded", []monitoringv1.ObjectReference{{Resource: "servicemonitors", Namespace: "team-a", Name: "other"}}, "team-a"},
		{"another kind excluded", []monitoringv1.ObjectReference{{Resource: "podmonitors", Namespace: "team-a"}}, "team-a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			m := newServiceMonitor("team-a", "api", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints[0].RelabelConfigs = claim
			})
			p := newPrometheus(func(p *monitoringv1.Prometheus) {
				p.Spec.EnforcedNamespaceLabel = "namespace"
				p.Spec.ExcludedFromEnforcement = tc.excluded
			})
			res := mustGenerate(t, Input{Prometheus: p, ServiceMonitors: []*monitoringv1.ServiceMonitor{m}})
			sc := scrapeJob(t, load(t, res.Config), "serviceMonitor/team-a/api/0")
			got, kept := discover(t, sc, endpointTarget("endpoints"))
			g.Expect(kept).To(BeTrue())
			g.Expect(got["namespace"]).To(Equal(tc.want))

			// Samples: metric relabeling enforces it too (a scraped series
			// with honor_labels could carry another namespace).
			series := labels.FromStrings("__name__", "up", "namespace", "kube-system")
			out, keep := process(series, sc.MetricRelabelConfigs...)
			g.Expect(keep).To(BeTrue())
			g.Expect(out.Get("namespace")).To(Equal(tc.want))
		})
	}
}

// TestPodMonitorTargetLabels: job is <namespace>/<name>, endpoint the
// port's name or the targetPort.
func TestPodMonitorTargetLabels(t *testing.T) {
	pod := map[string]string{
		"__address__":                                 "10.213.0.9:9100",
		"__meta_kubernetes_namespace":                 "team-a",
		"__meta_kubernetes_pod_name":                  "worker-0",
		"__meta_kubernetes_pod_container_name":        "worker",
		"__meta_kubernetes_pod_container_port_name":   "metrics",
		"__meta_kubernetes_pod_container_port_number": "9100",
		"__meta_kubernetes_pod_phase":                 "Running",
		"__meta_kubernetes_pod_label_app":             "workers",
		"__meta_kubernetes_pod_labelpresent_app":      "true",
		"__meta_kubernetes_pod_label_queue":           "high",
		"__meta_kubernetes_pod_labelpresent_queue":    "true",
	}
	want := map[string]string{
		"container": "worker", "endpoint": "metrics", "instance": "10.213.0.9:9100", "job": "team-a/workers",
		"namespace": "team-a", "pod": "worker-0",
	}
	for _, tc := range []struct {
		name string
		ep   monitoringv1.PodMetricsEndpoint
		pm   func(*monitoringv1.PodMonitor)
		want map[string]string
	}{
		{name: "port", ep: monitoringv1.PodMetricsEndpoint{Port: ptr("metrics")}, want: want},
		// No endpoint label for a portNumber, as in Prometheus Operator
		// (pkg/prometheus/promcfg.go:1645-1655).
		{name: "portNumber", ep: monitoringv1.PodMetricsEndpoint{PortNumber: ptr(int32(9100))},
			want: without(want, "endpoint")},
		{name: "portNumber and targetPort", ep: monitoringv1.PodMetricsEndpoint{PortNumber: ptr(int32(9100)), TargetPort: namedPort("admin")},
			want: with(want, map[string]string{"endpoint": "admin"})},
		{name: "targetPort number", ep: monitoringv1.PodMetricsEndpoint{TargetPort: intPort(9100)},
			want: with(want, map[string]string{"endpoint": "9100"})},
		{name: "targetPort name", ep: monitoringv1.PodMetricsEndpoint{TargetPort: namedPort("metrics")}, want: want},
		// Filters nothing, names the endpoint "0" (promcfg.go:1650-1655).
		{name: "targetPort 0", ep: monitoringv1.PodMetricsEndpoint{TargetPort: intPort(0)},
			want: with(want, map[string]string{"endpoint": "0"})},
		{name: "other port", ep: monitoringv1.PodMetricsEndpoint{Port: ptr("http")}},
		{name: "jobLabel and podTargetLabels", ep: monitoringv1.PodMetricsEndpoint{Port: ptr("metrics")},
			pm: func(m *monitoringv1.PodMonitor) {
				m.Spec.JobLabel = "app"
				m.Spec.PodTargetLabels = []string{"queue"}
			},
			want: with(want, map[string]string{"job": "workers", "queue": "high"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			m := newPodMonitor("team-a", "workers", func(m *monitoringv1.PodMonitor) {
				m.Spec.PodMetricsEndpoints[0] = tc.ep
				if tc.pm != nil {
					tc.pm(m)
				}
			})
			got, kept := targetLabelsOf(t, Input{PodMonitors: []*monitoringv1.PodMonitor{m}}, "podMonitor/team-a/workers/0", pod)
			if tc.want == nil {
				g.Expect(kept).To(BeFalse())
				return
			}
			g.Expect(kept).To(BeTrue())
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

func with(base, extra map[string]string) map[string]string {
	out := maps.Clone(base)
	maps.Copy(out, extra)
	return out
}

func without(base map[string]string, key string) map[string]string {
	out := maps.Clone(base)
	delete(out, key)
	return out
}

// TestProbeTargetLabels: the prober is scraped with the target as a
// parameter; instance is the probed URL.
func TestProbeTargetLabels(t *testing.T) {
	t.Run("static", func(t *testing.T) {
		g := NewWithT(t)
		p := newProbe("team-a", "sites", func(p *monitoringv1.Probe) {
			p.Spec.Targets.StaticConfig.Labels = map[string]string{"env": "prod"}
		})
		res := mustGenerate(t, Input{Prometheus: newPrometheus(), Probes: []*monitoringv1.Probe{p}})
		sc := scrapeJob(t, load(t, res.Config), "probe/team-a/sites")
		g.Expect(sc.Params.Get("module")).To(Equal("http_2xx"))
		g.Expect(sc.MetricsPath).To(Equal("/probe"))
		// Static targets arrive with the group's labels.
		tg := sc.ServiceDiscoveryConfigs
		g.Expect(tg).To(HaveLen(1))
		got, kept := discover(t, sc, map[string]string{"__address__": "https://example.com", "env": "prod", "namespace": "team-a"})
		g.Expect(kept).To(BeTrue())
		g.Expect(got).To(Equal(map[string]string{
			"instance": "https://example.com", "job": "probe/team-a/sites", "namespace": "team-a", "env": "prod",
		}))
	})
	t.Run("ingress", func(t *testing.T) {
		g := NewWithT(t)
		p := newProbe("team-a", "ingresses", func(p *monitoringv1.Probe) {
			p.Spec.Targets = monitoringv1.ProbeTargets{Ingress: &monitoringv1.ProbeTargetIngress{
				Selector: metav1.LabelSelector{MatchLabels: map[string]string{"probe": "true"}},
			}}
		})
		got, kept := targetLabelsOf(t, Input{Probes: []*monitoringv1.Probe{p}}, "probe/team-a/ingresses", map[string]string{
			"__address__":                                  "shop.example.com",
			"__meta_kubernetes_namespace":                  "team-a",
			"__meta_kubernetes_ingress_name":               "shop",
			"__meta_kubernetes_ingress_scheme":             "https",
			"__meta_kubernetes_ingress_path":               "/cart",
			"__meta_kubernetes_ingress_label_probe":        "true",
			"__meta_kubernetes_ingress_labelpresent_probe": "true",
		})
		g.Expect(kept).To(BeTrue())
		g.Expect(got).To(Equal(map[string]string{
			"instance": "https://shop.example.com/cart", "job": "probe/team-a/ingresses", "namespace": "team-a", "ingress": "shop",
		}))
	})
}

// TestScrapeConfigTargetLabels: a ScrapeConfig's job is its job name
// unless jobName sets the label.
func TestScrapeConfigTargetLabels(t *testing.T) {
	g := NewWithT(t)
	plain := newScrapeConfig("team-a", "plain")
	named := newScrapeConfig("team-a", "named", func(s *monitoringv1alpha1.ScrapeConfig) { s.Spec.JobName = ptr("node") })
	res := mustGenerate(t, Input{Prometheus: newPrometheus(), ScrapeConfigs: []*monitoringv1alpha1.ScrapeConfig{plain, named}})
	c := load(t, res.Config)
	got, _ := discover(t, scrapeJob(t, c, "scrapeConfig/team-a/plain"), map[string]string{"__address__": "10.0.0.1:9100"})
	g.Expect(got).To(Equal(map[string]string{"instance": "10.0.0.1:9100", "job": "scrapeConfig/team-a/plain"}))
	got, _ = discover(t, scrapeJob(t, c, "scrapeConfig/team-a/named"), map[string]string{"__address__": "10.0.0.1:9100"})
	g.Expect(got).To(Equal(map[string]string{"instance": "10.0.0.1:9100", "job": "node"}))
}

// TestProbeIngressAddressKept: Prometheus Operator (since 0.55) copies the
// Ingress's host into __tmp_ingress_address before __address__ becomes
// the prober's, and its documentation points users' relabelingConfigs at
// it; a drop-in has to keep it.
func TestProbeIngressAddressKept(t *testing.T) {
	g := NewWithT(t)
	p := newProbe("team-a", "ingresses", func(p *monitoringv1.Probe) {
		p.Spec.Targets = monitoringv1.ProbeTargets{Ingress: &monitoringv1.ProbeTargetIngress{
			RelabelConfigs: []monitoringv1.RelabelConfig{{
				SourceLabels: []monitoringv1.LabelName{"__tmp_ingress_address"}, TargetLabel: "host",
			}},
		}}
	})
	got, kept := targetLabelsOf(t, Input{Probes: []*monitoringv1.Probe{p}}, "probe/team-a/ingresses", map[string]string{
		"__address__":                      "shop.example.com",
		"__meta_kubernetes_namespace":      "team-a",
		"__meta_kubernetes_ingress_name":   "shop",
		"__meta_kubernetes_ingress_scheme": "https",
		"__meta_kubernetes_ingress_path":   "/",
	})
	g.Expect(kept).To(BeTrue())
	g.Expect(got).To(HaveKeyWithValue("host", "shop.example.com"))
}
