package promconfig

import (
	"math/rand/v2"
	"slices"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// TestAdditionalJobNameWins: an additional scrape config of the Prometheus
// object that has a generated job's name (Prometheus refuses a file with
// two jobs of one name) stays; the selected object is left out, with a
// reason naming the Secret, and nobody else is affected.
func TestAdditionalJobNameWins(t *testing.T) {
	for _, tc := range []struct {
		name, extraJob, kind, object string
		// gone are the object's jobs, which go with it.
		gone []string
	}{
		{"ServiceMonitor", "serviceMonitor/team-a/good/0", "ServiceMonitor", "team-a/good", []string{"serviceMonitor/team-a/good/0"}},
		{"second endpoint of a ServiceMonitor", "serviceMonitor/team-a/two/1", "ServiceMonitor", "team-a/two",
			[]string{"serviceMonitor/team-a/two/0", "serviceMonitor/team-a/two/1"}},
		{"PodMonitor", "podMonitor/team-a/good/0", "PodMonitor", "team-a/good", []string{"podMonitor/team-a/good/0"}},
		{"Probe", "probe/team-a/good", "Probe", "team-a/good", []string{"probe/team-a/good"}},
		{"ScrapeConfig", "scrapeConfig/team-a/good", "ScrapeConfig", "team-a/good", []string{"scrapeConfig/team-a/good"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in := goodObjects()
			in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "two", func(m *monitoringv1.ServiceMonitor) {
				m.Spec.Endpoints = append(m.Spec.Endpoints, monitoringv1.Endpoint{Port: "admin"})
			}))
			in.Prometheus = newPrometheus(func(p *monitoringv1.Prometheus) { p.Spec.AdditionalScrapeConfigs = secretKey("extra", "jobs.yaml") })
			in.Store = newMapStore().withSecret(promNamespace, "extra", map[string]string{
				"jobs.yaml": "- job_name: " + tc.extraJob + "\n  static_configs: [{targets: ['10.0.0.9:9100']}]\n"})
			res := mustGenerate(t, in)

			g.Expect(rejectedNames(res.Rejected)).To(Equal([]string{tc.kind + " " + tc.object}))
			g.Expect(res.Rejected[0].Message()).To(Equal(`job name "` + tc.extraJob + `" is already used by the additionalScrapeConfigs ` +
				`of Prometheus monitoring/main (secret extra key jobs.yaml), and Prometheus refuses two jobs with one name`))
			cfg := load(t, res.Config)
			want := append(slices.Clone(goodJobs), "serviceMonitor/team-a/two/0", "serviceMonitor/team-a/two/1")
			want = append(slices.DeleteFunc(want, func(j string) bool { return slices.Contains(tc.gone, j) }), tc.extraJob)
			g.Expect(jobNames(cfg)).To(ConsistOf(want))
			g.Expect(jobNames(cfg)[len(want)-1]).To(Equal(tc.extraJob), "the additional job comes last")
			g.Expect(scrapeJob(t, cfg, tc.extraJob).ServiceDiscoveryConfigs).To(HaveLen(1), "the additional job, not the generated one")
		})
	}
}

// TestRepeatedObjectIsLeftOut: manifests may hold one object twice (a
// cluster cannot). Equal copies count once. Of different copies, which to
// keep cannot be decided without depending on the order of the input, so
// none is used, and the reason says so once; the result is the same in
// any order.
func TestRepeatedObjectIsLeftOut(t *testing.T) {
	g := NewWithT(t)
	a := newServiceMonitor("team-a", "twice")
	b := newServiceMonitor("team-a", "twice", func(m *monitoringv1.ServiceMonitor) { m.Spec.Endpoints[0].Port = "other" })
	in := goodObjects()
	in.Prometheus = newPrometheus()
	in.ServiceMonitors = append(in.ServiceMonitors, a, b, a)
	in.ScrapeConfigs = append(in.ScrapeConfigs, newScrapeConfig("team-b", "twice"), newScrapeConfig("team-b", "twice"))
	first := mustGenerate(t, in)
	g.Expect(described(first.Rejected)).To(Equal([]string{
		"ServiceMonitor team-a/twice [ConflictingCopies] the input holds 3 copies of ServiceMonitor team-a/twice that differ, and which to use cannot be decided",
	}))
	g.Expect(jobNames(load(t, first.Config))).To(ConsistOf(append(slices.Clone(goodJobs), "scrapeConfig/team-b/twice")))

	in.ServiceMonitors = []*monitoringv1.ServiceMonitor{b, a, in.ServiceMonitors[0], a}
	again := mustGenerate(t, in)
	g.Expect(again.Rejected).To(Equal(first.Rejected))
	g.Expect(string(again.Config)).To(Equal(string(first.Config)))
}

// TestCollidingNamesAreDecidedByOrder: names the API server would refuse
// ("/" in a name or namespace) can give two different objects one job
// name. The first in the job order (kind, namespace, name) keeps it and
// the other is left out naming it, whatever the input order.
func TestCollidingNamesAreDecidedByOrder(t *testing.T) {
	g := NewWithT(t)
	// Both make serviceMonitor/x/y/0/0.
	selectWeb := func(m *monitoringv1.ServiceMonitor) { m.Spec.Selector.MatchLabels = map[string]string{"app": "web"} }
	first := newServiceMonitor("x", "y/0", selectWeb)
	second := newServiceMonitor("x/y", "0", selectWeb)
	// Both make probe/p/q/r; the second one's other job name is free, but
	// it goes as a whole.
	probeA := newProbe("p", "q/r")
	probeB := newProbe("p/q", "r")
	var want []Rejection
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 6 {
		sms := []*monitoringv1.ServiceMonitor{first, second, newServiceMonitor("team-a", "good")}
		probes := []*monitoringv1.Probe{probeA, probeB}
		rng.Shuffle(len(sms), func(i, j int) { sms[i], sms[j] = sms[j], sms[i] })
		rng.Shuffle(len(probes), func(i, j int) { probes[i], probes[j] = probes[j], probes[i] })
		res := mustGenerate(t, Input{Prometheus: newPrometheus(), ServiceMonitors: sms, Probes: probes})
		if i == 0 {
			want = res.Rejected
		}
		g.Expect(res.Rejected).To(Equal(want), "order %d", i)
		g.Expect(jobNames(load(t, res.Config))).To(Equal([]string{"serviceMonitor/team-a/good/0", "serviceMonitor/x/y/0/0", "probe/p/q/r"}))
	}
	g.Expect(described(want)).To(Equal([]string{
		`Probe p/q/r [JobNameConflict] job name "probe/p/q/r" is already used by Probe p/q/r, and Prometheus refuses two jobs with one name`,
		`ServiceMonitor x/y/0 [JobNameConflict] job name "serviceMonitor/x/y/0/0" is already used by ServiceMonitor x/y/0, and Prometheus refuses two jobs with one name`,
	}))
}

// TestWholeFileIsLoaded: when the parts' verdicts do not show that the
// whole file loads (see composes), it is loaded once more before it is
// returned, so that a mistake the parts' checks cannot see (here, a cached
// verdict that does not say what its key says) is an error, never a
// configuration Prometheus refuses. TestComposesAgreesWithLoad holds
// composes to config.Load.
func TestWholeFileIsLoaded(t *testing.T) {
	g := NewWithT(t)
	cache := NewCache()
	in := Input{
		Prometheus: newPrometheus(),
		ServiceMonitors: []*monitoringv1.ServiceMonitor{newServiceMonitor("team-a", "a"), newServiceMonitor("team-a", "b", func(m *monitoringv1.ServiceMonitor) {
			m.Spec.Endpoints[0].RelabelConfigs = []monitoringv1.RelabelConfig{{TargetLabel: "x", Regex: "(unclosed"}}
		})},
		Cache: cache,
	}
	g.Expect(mustGenerate(t, in).Rejected).To(HaveLen(1))
	for k, p := range cache.objects {
		p.verdict = verdict{names: p.names}
		cache.objects[k] = p
	}
	_, err := Generate(in)
	g.Expect(err).To(MatchError(And(ContainSubstring("the assembled configuration does not load"),
		ContainSubstring("error parsing regexp"))))
}

// TestEmptyInput: a Prometheus object with nothing set and nothing
// selected, or no Prometheus object at all, never panics.
func TestEmptyInput(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      Input
		wantErr string
	}{
		{"no Prometheus object", Input{}, "no Prometheus object"},
		{"no Prometheus object, but monitors", Input{ServiceMonitors: []*monitoringv1.ServiceMonitor{newServiceMonitor("a", "b")}}, "no Prometheus object"},
		{"empty Prometheus object", Input{Prometheus: &monitoringv1.Prometheus{}}, ""},
		{"Prometheus object with a name only", Input{Prometheus: &monitoringv1.Prometheus{ObjectMeta: metav1.ObjectMeta{Name: "p"}}}, ""},
		{"empty objects of every kind", Input{Prometheus: &monitoringv1.Prometheus{},
			ServiceMonitors: []*monitoringv1.ServiceMonitor{{}}, PodMonitors: []*monitoringv1.PodMonitor{{}},
			Probes: []*monitoringv1.Probe{{}}, ScrapeConfigs: []*monitoringv1alpha1.ScrapeConfig{{}}}, ""},
		{"nil objects", Input{Prometheus: newPrometheus(), ServiceMonitors: []*monitoringv1.ServiceMonitor{nil, newServiceMonitor("a", "b")},
			PodMonitors: []*monitoringv1.PodMonitor{nil}, Probes: []*monitoringv1.Probe{nil}, ScrapeConfigs: []*monitoringv1alpha1.ScrapeConfig{nil}}, ""},
		{"empty slices and an empty rule ConfigMap list", Input{Prometheus: newPrometheus(), ServiceMonitors: []*monitoringv1.ServiceMonitor{},
			RuleConfigMaps: []string{}}, ""},
		{"empty sections of the Prometheus object", Input{Prometheus: newPrometheus(func(p *monitoringv1.Prometheus) {
			p.Spec.Alerting = &monitoringv1.AlertingSpec{}
			p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{}}
			p.Spec.RemoteRead = []monitoringv1.RemoteReadSpec{{}}
			p.Spec.Shards = ptr(int32(0))
		})}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			var res Result
			var err error
			g.Expect(func() { res, err = Generate(tc.in) }).NotTo(Panic())
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				return
			}
			if err != nil {
				// The Prometheus object's own mistake is an error, never
				// a panic or a configuration that does not load.
				g.Expect(res.Config).To(BeNil())
				return
			}
			expectLoads(g, res.Config)
		})
	}
}
