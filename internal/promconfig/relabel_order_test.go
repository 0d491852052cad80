package promconfig

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/prometheus/model/relabel"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// describeRules writes each relabel rule, as Prometheus loaded it, as one
// line: "target <- sources" or "target = replacement" for replace,
// "keep(sources)" for keep and drop, "action target <- sources" for the
// others.
func describeRules(rules []*relabel.Config) []string {
	var out []string
	for _, r := range rules {
		var src []string
		for _, l := range r.SourceLabels {
			src = append(src, string(l))
		}
		sources := strings.Join(src, ",")
		switch r.Action {
		case relabel.Replace:
			if sources == "" {
				out = append(out, r.TargetLabel+" = "+r.Replacement)
			} else {
				out = append(out, r.TargetLabel+" <- "+sources)
			}
		case relabel.Keep, relabel.Drop:
			out = append(out, string(r.Action)+"("+sources+")")
		default:
			out = append(out, string(r.Action)+" "+r.TargetLabel+" <- "+sources)
		}
	}
	return out
}

// shardingTail is the sharding rules as loaded for shard 0 (load puts 0
// for $(SHARD), as the config reloader does).
var shardingTail = []string{
	"__tmp_current_shard = 0",
	"keep(__tmp_current_shard)",
	"__tmp_hash <- __address__,__tmp_hash",
	"hashmod __tmp_hash <- __tmp_hash",
	"keep(__tmp_hash,__tmp_disable_sharding)",
}

// TestServiceMonitorRelabelOrder: the rules come in Prometheus Operator's
// documented order, so labels set by later rules win as they do there:
// job name, selector, port, node/pod from the target kind, namespace,
// service, pod, container, running filter, targetLabels,
// podTargetLabels, job, jobLabel, endpoint, the user's relabelings, the
// enforced namespace label, sharding.
func TestServiceMonitorRelabelOrder(t *testing.T) {
	g := NewWithT(t)
	m := newServiceMonitor("team-a", "api", func(m *monitoringv1.ServiceMonitor) {
		m.Spec.ServiceDiscoveryRole = ptr(monitoringv1.EndpointSliceRole)
		m.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{
			{Key: "track", Operator: metav1.LabelSelectorOpIn, Values: []string{"stable"}},
			{Key: "legacy", Operator: metav1.LabelSelectorOpDoesNotExist},
		}
		m.Spec.TargetLabels = []string{"team"}
		m.Spec.PodTargetLabels = []string{"pod-template-hash"}
		m.Spec.JobLabel = "app.kubernetes.io/name"
		m.Spec.Endpoints[0].RelabelConfigs = []monitoringv1.RelabelConfig{
			{SourceLabels: []monitoringv1.LabelName{"__meta_kubernetes_pod_label_zone"}, TargetLabel: "zone"},
		}
		m.Spec.Endpoints[0].MetricRelabelConfigs = []monitoringv1.RelabelConfig{
			{SourceLabels: []monitoringv1.LabelName{"__name__"}, Regex: "go_.*", Action: "drop"},
		}
	})
	p := newPrometheus(func(p *monitoringv1.Prometheus) {
		p.Spec.Shards = ptr(int32(2))
		p.Spec.EnforcedNamespaceLabel = "tenant"
	})
	res := mustGenerate(t, Input{Prometheus: p, ServiceMonitors: []*monitoringv1.ServiceMonitor{m}})
	sc := scrapeJob(t, load(t, res.Config), "serviceMonitor/team-a/api/0")
	const slice = "__meta_kubernetes_endpointslice_address_target_kind,__meta_kubernetes_endpointslice_address_target_name"
	g.Expect(describeRules(sc.RelabelConfigs)).To(Equal(append([]string{
		"__tmp_prometheus_job_name <- job",
		"keep(__meta_kubernetes_service_label_app,__meta_kubernetes_service_labelpresent_app)",
		"keep(__meta_kubernetes_service_label_track,__meta_kubernetes_service_labelpresent_track)",
		"drop(__meta_kubernetes_service_labelpresent_legacy)",
		"keep(__meta_kubernetes_endpointslice_port_name)",
		"node <- " + slice,
		"pod <- " + slice,
		"namespace <- __meta_kubernetes_namespace",
		"service <- __meta_kubernetes_service_name",
		"pod <- __meta_kubernetes_pod_name",
		"container <- __meta_kubernetes_pod_container_name",
		"drop(__meta_kubernetes_pod_phase)",
		"team <- __meta_kubernetes_service_label_team",
		"pod_template_hash <- __meta_kubernetes_pod_label_pod_template_hash",
		"job <- __meta_kubernetes_service_name",
		"job <- __meta_kubernetes_service_label_app_kubernetes_io_name",
		"endpoint = web",
		"zone <- __meta_kubernetes_pod_label_zone",
		"tenant = team-a",
	}, shardingTail...)))
	g.Expect(describeRules(sc.MetricRelabelConfigs)).To(Equal([]string{
		"drop(__name__)",
		"tenant = team-a",
	}), "the enforced label comes after the user's metric relabelings too")
}

// TestServiceMonitorRelabelOrderMinimal: without the optional settings,
// only the fixed rules remain, in the same order; the port comes from
// targetPort when there is no port name.
func TestServiceMonitorRelabelOrderMinimal(t *testing.T) {
	g := NewWithT(t)
	m := newServiceMonitor("team-a", "api", func(m *monitoringv1.ServiceMonitor) {
		m.Spec.Selector = metav1.LabelSelector{}
		m.Spec.Endpoints[0] = monitoringv1.Endpoint{TargetPort: intPort(8080), FilterRunning: ptr(false)}
	})
	res := mustGenerate(t, Input{Prometheus: newPrometheus(), ServiceMonitors: []*monitoringv1.ServiceMonitor{m}})
	sc := scrapeJob(t, load(t, res.Config), "serviceMonitor/team-a/api/0")
	const ep = "__meta_kubernetes_endpoint_address_target_kind,__meta_kubernetes_endpoint_address_target_name"
	g.Expect(describeRules(sc.RelabelConfigs)).To(Equal(append([]string{
		"__tmp_prometheus_job_name <- job",
		"keep(__meta_kubernetes_pod_container_port_number)",
		"node <- " + ep,
		"pod <- " + ep,
		"namespace <- __meta_kubernetes_namespace",
		"service <- __meta_kubernetes_service_name",
		"pod <- __meta_kubernetes_pod_name",
		"container <- __meta_kubernetes_pod_container_name",
		"job <- __meta_kubernetes_service_name",
		"endpoint = 8080",
	}, shardingTail...)))
	g.Expect(sc.MetricRelabelConfigs).To(BeEmpty())
}

// TestPodMonitorRelabelOrder follows Prometheus Operator's PodMonitor
// order: namespace, container, pod; job is <namespace>/<name>.
func TestPodMonitorRelabelOrder(t *testing.T) {
	g := NewWithT(t)
	m := newPodMonitor("team-a", "workers", func(m *monitoringv1.PodMonitor) {
		m.Spec.PodTargetLabels = []string{"queue"}
		m.Spec.JobLabel = "component"
		m.Spec.PodMetricsEndpoints[0].RelabelConfigs = []monitoringv1.RelabelConfig{{TargetLabel: "zone", Replacement: ptr("eu")}}
	})
	p := newPrometheus(func(p *monitoringv1.Prometheus) { p.Spec.EnforcedNamespaceLabel = "tenant" })
	res := mustGenerate(t, Input{Prometheus: p, PodMonitors: []*monitoringv1.PodMonitor{m}})
	sc := scrapeJob(t, load(t, res.Config), "podMonitor/team-a/workers/0")
	// The running-pod filter comes right after the first rule, before the
	// selector, as in Prometheus Operator (pkg/prometheus/promcfg.go:1519-1523).
	g.Expect(describeRules(sc.RelabelConfigs)).To(Equal(append([]string{
		"__tmp_prometheus_job_name <- job",
		"drop(__meta_kubernetes_pod_phase)",
		"keep(__meta_kubernetes_pod_label_app,__meta_kubernetes_pod_labelpresent_app)",
		"keep(__meta_kubernetes_pod_container_port_name)",
		"namespace <- __meta_kubernetes_namespace",
		"container <- __meta_kubernetes_pod_container_name",
		"pod <- __meta_kubernetes_pod_name",
		"queue <- __meta_kubernetes_pod_label_queue",
		"job = team-a/workers",
		"job <- __meta_kubernetes_pod_label_component",
		"endpoint = metrics",
		"zone = eu",
		"tenant = team-a",
	}, shardingTail...)))
}

// TestProbeRelabelOrder: the prober rules come before the user's, and
// sharding hashes on the probed target.
func TestProbeRelabelOrder(t *testing.T) {
	probeSharding := append([]string{}, shardingTail...)
	probeSharding[2] = "__tmp_hash <- __param_target,__tmp_hash"
	user := []monitoringv1.RelabelConfig{{TargetLabel: "team", Replacement: ptr("web")}}
	t.Run("static", func(t *testing.T) {
		g := NewWithT(t)
		p := newProbe("team-a", "sites", func(p *monitoringv1.Probe) {
			p.Spec.JobName = "blackbox"
			p.Spec.Targets.StaticConfig.RelabelConfigs = user
		})
		res := mustGenerate(t, Input{Prometheus: newPrometheus(), Probes: []*monitoringv1.Probe{p}})
		sc := scrapeJob(t, load(t, res.Config), "probe/team-a/sites")
		g.Expect(describeRules(sc.RelabelConfigs)).To(Equal(append([]string{
			"__tmp_prometheus_job_name <- job",
			"job = blackbox",
			"__param_target <- __address__",
			"instance <- __param_target",
			"__address__ = blackbox-exporter.monitoring.svc:19115",
			"team = web",
		}, probeSharding...)))
	})
	// Prometheus Operator also copies __address__ into
	// __tmp_ingress_address before the instance rule: see
	// TestProbeIngressAddressKept. The fix adds that line here.
	t.Run("ingress", func(t *testing.T) {
		g := NewWithT(t)
		p := newProbe("team-a", "ingresses", func(p *monitoringv1.Probe) {
			p.Spec.Targets = monitoringv1.ProbeTargets{Ingress: &monitoringv1.ProbeTargetIngress{
				Selector:       metav1.LabelSelector{MatchLabels: map[string]string{"probe": "yes"}},
				RelabelConfigs: user,
			}}
		})
		res := mustGenerate(t, Input{Prometheus: newPrometheus(), Probes: []*monitoringv1.Probe{p}})
		sc := scrapeJob(t, load(t, res.Config), "probe/team-a/ingresses")
		g.Expect(describeRules(sc.RelabelConfigs)).To(Equal(append([]string{
			"__tmp_prometheus_job_name <- job",
			"keep(__meta_kubernetes_ingress_label_probe,__meta_kubernetes_ingress_labelpresent_probe)",
			"__param_target <- __meta_kubernetes_ingress_scheme,__address__,__meta_kubernetes_ingress_path",
			"namespace <- __meta_kubernetes_namespace",
			"ingress <- __meta_kubernetes_ingress_name",
			"__tmp_ingress_address <- __address__",
			"instance <- __param_target",
			"__address__ = blackbox-exporter.monitoring.svc:19115",
			"team = web",
		}, probeSharding...)))
	})
}

// TestScrapeConfigRelabelOrder: job name, job label, the user's rules, the
// enforced label, sharding.
func TestScrapeConfigRelabelOrder(t *testing.T) {
	g := NewWithT(t)
	s := newScrapeConfig("team-a", "static", func(s *monitoringv1alpha1.ScrapeConfig) {
		s.Spec.JobName = ptr("legacy")
		s.Spec.Relabelings = []monitoringv1.RelabelConfig{{TargetLabel: "rack", Replacement: ptr("r1")}}
	})
	p := newPrometheus(func(p *monitoringv1.Prometheus) { p.Spec.EnforcedNamespaceLabel = "tenant" })
	res := mustGenerate(t, Input{Prometheus: p, ScrapeConfigs: []*monitoringv1alpha1.ScrapeConfig{s}})
	sc := scrapeJob(t, load(t, res.Config), "scrapeConfig/team-a/static")
	// With one shard a ScrapeConfig gets no sharding rules
	// (pkg/prometheus/promcfg.go:5069-5071).
	g.Expect(describeRules(sc.RelabelConfigs)).To(Equal([]string{
		"__tmp_prometheus_job_name <- job",
		"job = legacy",
		"rack = r1",
		"tenant = team-a",
	}))
}
