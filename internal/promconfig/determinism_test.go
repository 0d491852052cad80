package promconfig

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// mixedInput has objects of every kind in several namespaces, with maps
// (labels, params, selectors, proxy headers, external labels) whose
// iteration order Go randomises, and some bad objects.
func mixedInput() Input {
	var in Input
	store := newMapStore()
	for i, ns := range []string{"team-c", "team-a", "monitoring", "team-b"} {
		store.withSecret(ns, "creds", map[string]string{"user": "u", "pass": "p", "h1": "v1", "h2": "v2"})
		for j := range 3 {
			name := fmt.Sprintf("app-%d", (i*7+j*3)%5)
			in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor(ns, name, func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Selector.MatchLabels = map[string]string{"app": name, "tier": "backend", "zone": "a", "team": ns}
				m.Spec.Endpoints = append(m.Spec.Endpoints, monitoringv1.Endpoint{
					Port: "metrics", Params: map[string][]string{"b": {"2"}, "a": {"1"}, "c": {"3", "4"}},
					HTTPClientConfig: monitoringv1.HTTPClientConfig{
						BasicAuth: &monitoringv1.BasicAuth{Username: *secretKey("creds", "user"), Password: *secretKey("creds", "pass")},
						ProxyConfig: monitoringv1.ProxyConfig{ProxyURL: ptr("http://proxy:3128"),
							ProxyConnectHeader: map[string][]corev1.SecretKeySelector{
								"X-B": {*secretKey("creds", "h2")}, "X-A": {*secretKey("creds", "h1")}}},
					},
				})
				if j == 1 {
					m.Spec.SelectorMechanism = ptr(monitoringv1.SelectorMechanismRole)
					m.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{
						{Key: "b", Operator: metav1.LabelSelectorOpExists}, {Key: "a", Operator: metav1.LabelSelectorOpIn, Values: []string{"y", "x"}}}
				}
			}))
			in.PodMonitors = append(in.PodMonitors, newPodMonitor(ns, name))
			in.Probes = append(in.Probes, newProbe(ns, name, func(p *monitoringv1.Probe) {
				p.Spec.Targets.StaticConfig.Labels = map[string]string{"z": "1", "y": "2", "x": "3"}
				p.Spec.Params = []monitoringv1.ProbeParam{{Name: "b", Values: []string{"1"}}, {Name: "a", Values: []string{"2"}}}
			}))
			in.ScrapeConfigs = append(in.ScrapeConfigs, newScrapeConfig(ns, name))
		}
		in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor(ns, "bad-regex", func(m *monitoringv1.ServiceMonitor) {
			m.Spec.Endpoints[0].RelabelConfigs = []monitoringv1.RelabelConfig{{Regex: "(", Action: "drop", SourceLabels: []monitoringv1.LabelName{"a"}}}
		}))
		in.Probes = append(in.Probes, newProbe(ns, "no-targets", func(p *monitoringv1.Probe) { p.Spec.Targets = monitoringv1.ProbeTargets{} }))
	}
	// The loop above names some objects twice in a namespace; keep the
	// first of each, as a cluster would hold one.
	in.ServiceMonitors = uniq(in.ServiceMonitors)
	in.PodMonitors = uniq(in.PodMonitors)
	in.Probes = uniq(in.Probes)
	in.ScrapeConfigs = uniq(in.ScrapeConfigs)
	in.Prometheus = newPrometheus(func(p *monitoringv1.Prometheus) {
		p.Spec.Shards = ptr(int32(2))
		p.Spec.ExternalLabels = map[string]string{"z": "1", "a": "2", "m": "3", "cluster": "x"}
		p.Spec.EnforcedNamespaceLabel = "tenant"
		p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{URL: "https://rw.example.com",
			Headers: map[string]string{"X-B": "2", "X-A": "1"}}}
	})
	in.RuleConfigMaps = []string{"prometheus-main-rulefiles-0", "prometheus-main-rulefiles-1"}
	in.Store = store
	return in
}

func uniq[T rejection.Keyed](objs []T) []T {
	seen := map[string]bool{}
	var out []T
	for _, o := range objs {
		k := o.GetNamespace() + "/" + o.GetName()
		if !seen[k] {
			seen[k] = true
			out = append(out, o)
		}
	}
	return out
}

// TestDeterministic: the same objects in another order, or generated
// again, give the same bytes and the same rejections.
func TestDeterministic(t *testing.T) {
	g := NewWithT(t)
	in := mixedInput()
	first := mustGenerate(t, in)
	g.Expect(first.Rejected).To(HaveLen(8))
	expectLoads(g, first.Config)

	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 8 {
		shuffled := in
		shuffled.ServiceMonitors = shuffle(rng, in.ServiceMonitors)
		shuffled.PodMonitors = shuffle(rng, in.PodMonitors)
		shuffled.Probes = shuffle(rng, in.Probes)
		shuffled.ScrapeConfigs = shuffle(rng, in.ScrapeConfigs)
		again := mustGenerate(t, shuffled)
		g.Expect(string(again.Config)).To(Equal(string(first.Config)), "permutation %d", i)
		g.Expect(again.Rejected).To(Equal(first.Rejected), "permutation %d", i)
	}
	// Generate does not reorder or change the caller's objects.
	fresh := mixedInput()
	g.Expect(in.ServiceMonitors).To(Equal(fresh.ServiceMonitors))
	g.Expect(in.PodMonitors).To(Equal(fresh.PodMonitors))
	g.Expect(in.Probes).To(Equal(fresh.Probes))
	g.Expect(in.ScrapeConfigs).To(Equal(fresh.ScrapeConfigs))
	g.Expect(in.Prometheus).To(Equal(fresh.Prometheus))
}

func shuffle[T any](rng *rand.Rand, s []T) []T {
	out := slices.Clone(s)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// TestJobOrder: ServiceMonitors, PodMonitors, Probes, ScrapeConfigs, each
// sorted by namespace and name, then the additional jobs.
func TestJobOrder(t *testing.T) {
	g := NewWithT(t)
	in := Input{
		Prometheus:    newPrometheus(func(p *monitoringv1.Prometheus) { p.Spec.AdditionalScrapeConfigs = secretKey("extra", "jobs") }),
		ScrapeConfigs: []*monitoringv1alpha1.ScrapeConfig{newScrapeConfig("b", "x"), newScrapeConfig("a", "y")},
		Probes:        []*monitoringv1.Probe{newProbe("b", "a"), newProbe("a", "b")},
		PodMonitors:   []*monitoringv1.PodMonitor{newPodMonitor("a", "z"), newPodMonitor("a", "a")},
		ServiceMonitors: []*monitoringv1.ServiceMonitor{
			newServiceMonitor("b", "a"),
			newServiceMonitor("a", "b", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints = append(m.Spec.Endpoints, monitoringv1.Endpoint{Port: "x"}, monitoringv1.Endpoint{Port: "y"})
			}),
		},
		Store: newMapStore().withSecret(promNamespace, "extra", map[string]string{"jobs": "- job_name: zz-extra\n- job_name: aa-extra\n"}),
	}
	res := mustGenerate(t, in)
	g.Expect(jobNames(load(t, res.Config))).To(Equal([]string{
		"serviceMonitor/a/b/0", "serviceMonitor/a/b/1", "serviceMonitor/a/b/2", "serviceMonitor/b/a/0",
		"podMonitor/a/a/0", "podMonitor/a/z/0",
		"probe/a/b", "probe/b/a",
		"scrapeConfig/a/y", "scrapeConfig/b/x",
		"zz-extra", "aa-extra",
	}))
}

// TestDeterministicReasons: an object with several errors inside maps
// (selector labels, proxy connect headers, static labels, endpoint
// params) is refused with the same reason every time, though Go gives
// each map a new order on every range; so is the Prometheus object's own
// mistake. Reasons end up in status, and one that changes between
// reconciles is a write and an Event each time.
func TestDeterministicReasons(t *testing.T) {
	bad := func(k string) string { return k + " with spaces/and/slashes" }
	in := Input{
		Prometheus: newPrometheus(),
		ServiceMonitors: []*monitoringv1.ServiceMonitor{
			newServiceMonitor("team-a", "selector", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Selector.MatchLabels = map[string]string{bad("c"): "1", bad("a"): "2", bad("b"): "3", "ok": "x"}
			}),
			newServiceMonitor("team-a", "role-selector", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.SelectorMechanism = ptr(monitoringv1.SelectorMechanismRole)
				m.Spec.Selector.MatchLabels = map[string]string{"z": bad("v1"), "y": bad("v2"), "x": bad("v3")}
			}),
			newServiceMonitor("team-a", "headers", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints[0].ProxyURL = ptr("http://proxy:3128")
				m.Spec.Endpoints[0].Params = map[string][]string{"b": {"2"}, "a": {"1"}}
				m.Spec.Endpoints[0].ProxyConnectHeader = map[string][]corev1.SecretKeySelector{
					"X-3": {*secretKey("s3", "k")}, "X-1": {*secretKey("s1", "k")}, "X-2": {*secretKey("s2", "k")},
				}
			}),
		},
		PodMonitors: []*monitoringv1.PodMonitor{newPodMonitor("team-a", "selector", func(m *monitoringv1.PodMonitor) {
			m.Spec.Selector.MatchLabels = map[string]string{bad("q"): "1", bad("p"): "2"}
		})},
		Probes: []*monitoringv1.Probe{newProbe("team-a", "labels", func(p *monitoringv1.Probe) {
			p.Spec.Targets.StaticConfig.Labels = map[string]string{"": "empty", "\xff": "not UTF-8", "\xfe": "not UTF-8 either", "ok": "x"}
		})},
		ScrapeConfigs: []*monitoringv1alpha1.ScrapeConfig{newScrapeConfig("team-a", "labels", func(s *monitoringv1alpha1.ScrapeConfig) {
			s.Spec.StaticConfigs[0].Labels = map[string]string{"\xfd": "a", "\xfc": "b", "": "c"}
		})},
		Store: newMapStore(),
	}
	g := NewWithT(t)
	first := mustGenerate(t, in)
	g.Expect(rejectedNames(first.Rejected)).To(Equal([]string{
		"PodMonitor team-a/selector", "Probe team-a/labels", "ScrapeConfig team-a/labels",
		"ServiceMonitor team-a/headers", "ServiceMonitor team-a/role-selector", "ServiceMonitor team-a/selector",
	}))
	g.Expect(reasonOf(first.Rejected, "ServiceMonitor", "team-a", "selector")).To(ContainSubstring(bad("a")), "the first bad key in sorted order")
	g.Expect(reasonOf(first.Rejected, "ServiceMonitor", "team-a", "headers")).To(ContainSubstring("X-1"))
	for i := range 30 {
		again := mustGenerate(t, in)
		g.Expect(again.Rejected).To(Equal(first.Rejected), "run %d", i)
	}

	own := newPrometheus(func(p *monitoringv1.Prometheus) {
		p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{URL: "https://rw.example.com",
			Headers: map[string]string{"User-Agent": "x", "Host": "y", "Content-Type": "z", "X-Ok": "1"}}}
		p.Spec.RemoteRead = []monitoringv1.RemoteReadSpec{{URL: "https://rr.example.com",
			Headers: map[string]string{"User-Agent": "x", "Host": "y"}}}
	})
	_, firstErr := Generate(Input{Prometheus: own})
	g.Expect(firstErr).To(MatchError(ContainSubstring("remoteWrite[0].headers: Content-Type is a reserved header")))
	for i := range 30 {
		_, err := Generate(Input{Prometheus: own})
		g.Expect(err).To(Equal(firstErr), "run %d", i)
	}
}
