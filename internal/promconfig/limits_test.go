package promconfig

import (
	"testing"

	"github.com/alecthomas/units"
	. "github.com/onsi/gomega"
	"github.com/prometheus/prometheus/config"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// limitedObject is one object of some kind carrying the given limits, and
// the name of its (first) job.
type limitedObject struct {
	kind string
	make func(l monitoringv1.ScrapeLimits, body *monitoringv1.ByteSize) (Input, string)
}

var limitedObjects = []limitedObject{
	{"ServiceMonitor", func(l monitoringv1.ScrapeLimits, body *monitoringv1.ByteSize) (Input, string) {
		m := newServiceMonitor("team-a", "api", func(m *monitoringv1.ServiceMonitor) {
			m.Spec.ScrapeLimits, m.Spec.BodySizeLimit = l, body
		})
		return Input{ServiceMonitors: []*monitoringv1.ServiceMonitor{m}}, "serviceMonitor/team-a/api/0"
	}},
	{"PodMonitor", func(l monitoringv1.ScrapeLimits, body *monitoringv1.ByteSize) (Input, string) {
		m := newPodMonitor("team-a", "workers", func(m *monitoringv1.PodMonitor) {
			m.Spec.ScrapeLimits, m.Spec.BodySizeLimit = l, body
		})
		return Input{PodMonitors: []*monitoringv1.PodMonitor{m}}, "podMonitor/team-a/workers/0"
	}},
	{"ScrapeConfig", func(l monitoringv1.ScrapeLimits, body *monitoringv1.ByteSize) (Input, string) {
		s := newScrapeConfig("team-a", "static", func(s *monitoringv1alpha1.ScrapeConfig) {
			s.Spec.ScrapeLimits, s.Spec.BodySizeLimit = l, body
		})
		return Input{ScrapeConfigs: []*monitoringv1alpha1.ScrapeConfig{s}}, "scrapeConfig/team-a/static"
	}},
	// A Probe has no bodySizeLimit of its own: only the enforced one.
	{"Probe", func(l monitoringv1.ScrapeLimits, _ *monitoringv1.ByteSize) (Input, string) {
		p := newProbe("team-a", "websites", func(p *monitoringv1.Probe) { p.Spec.ScrapeLimits = l })
		return Input{Probes: []*monitoringv1.Probe{p}}, "probe/team-a/websites"
	}},
}

// limitField reads and writes one of the six count limits on both sides.
type limitField struct {
	name     string
	set      func(l *monitoringv1.ScrapeLimits, v *uint64)
	enforce  func(p *monitoringv1.Prometheus, v *int64)
	inConfig func(sc *config.ScrapeConfig) uint
}

var limitFields = []limitField{
	{"sampleLimit", func(l *monitoringv1.ScrapeLimits, v *uint64) { l.SampleLimit = v },
		func(p *monitoringv1.Prometheus, v *int64) { p.Spec.EnforcedSampleLimit = v },
		func(sc *config.ScrapeConfig) uint { return sc.SampleLimit }},
	{"targetLimit", func(l *monitoringv1.ScrapeLimits, v *uint64) { l.TargetLimit = v },
		func(p *monitoringv1.Prometheus, v *int64) { p.Spec.EnforcedTargetLimit = v },
		func(sc *config.ScrapeConfig) uint { return sc.TargetLimit }},
	{"labelLimit", func(l *monitoringv1.ScrapeLimits, v *uint64) { l.LabelLimit = v },
		func(p *monitoringv1.Prometheus, v *int64) { p.Spec.EnforcedLabelLimit = v },
		func(sc *config.ScrapeConfig) uint { return sc.LabelLimit }},
	{"labelNameLengthLimit", func(l *monitoringv1.ScrapeLimits, v *uint64) { l.LabelNameLengthLimit = v },
		func(p *monitoringv1.Prometheus, v *int64) { p.Spec.EnforcedLabelNameLengthLimit = v },
		func(sc *config.ScrapeConfig) uint { return sc.LabelNameLengthLimit }},
	{"labelValueLengthLimit", func(l *monitoringv1.ScrapeLimits, v *uint64) { l.LabelValueLengthLimit = v },
		func(p *monitoringv1.Prometheus, v *int64) { p.Spec.EnforcedLabelValueLengthLimit = v },
		func(sc *config.ScrapeConfig) uint { return sc.LabelValueLengthLimit }},
	{"keepDroppedTargets", func(l *monitoringv1.ScrapeLimits, v *uint64) { l.KeepDroppedTargets = v },
		func(p *monitoringv1.Prometheus, v *int64) { p.Spec.EnforcedKeepDroppedTargets = v },
		func(sc *config.ScrapeConfig) uint { return sc.KeepDroppedTargets }},
}

// TestLimitsCappedByEnforcedLimits checks every count limit of every kind
// of object against the Prometheus object's enforced limit, as Prometheus
// loads it (0 is "no limit" to Prometheus).
func TestLimitsCappedByEnforcedLimits(t *testing.T) {
	for _, tc := range []struct {
		name     string
		limit    *uint64
		enforced *int64
		want     uint
	}{
		{name: "unset becomes the enforced limit", enforced: ptr(int64(100)), want: 100},
		{name: "higher becomes the enforced limit", limit: ptr(uint64(500)), enforced: ptr(int64(100)), want: 100},
		{name: "lower is kept", limit: ptr(uint64(10)), enforced: ptr(int64(100)), want: 10},
		{name: "equal is kept", limit: ptr(uint64(100)), enforced: ptr(int64(100)), want: 100},
		{name: "no enforced limit keeps the user's", limit: ptr(uint64(500)), want: 500},
		{name: "neither set means no limit", want: 0},
		{name: "an explicit 0 (no limit) becomes the enforced limit", limit: ptr(uint64(0)), enforced: ptr(int64(100)), want: 100},
		{name: "an enforced 0 leaves the user's limit alone", limit: ptr(uint64(10)), enforced: ptr(int64(0)), want: 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range limitFields {
				for _, o := range limitedObjects {
					t.Run(f.name+"/"+o.kind, func(t *testing.T) {
						g := NewWithT(t)
						var l monitoringv1.ScrapeLimits
						f.set(&l, tc.limit)
						in, jobName := o.make(l, nil)
						in.Prometheus = newPrometheus(func(p *monitoringv1.Prometheus) { f.enforce(p, tc.enforced) })
						res := mustGenerate(t, in)
						g.Expect(res.Rejected).To(BeEmpty())
						g.Expect(f.inConfig(scrapeJob(t, load(t, res.Config), jobName))).To(Equal(tc.want))
					})
				}
			}
		})
	}
}

// TestBodySizeLimit checks body size limits with units against the
// enforced one; sizes are compared by value (1GiB > 10MB), in Prometheus's
// base-2 reading of the units.
func TestBodySizeLimit(t *testing.T) {
	for _, tc := range []struct {
		name, limit, enforced string
		want                  units.Base2Bytes
	}{
		{name: "unset becomes the enforced limit", enforced: "10MB", want: 10 * units.MiB},
		{name: "higher with another unit becomes the enforced limit", limit: "1GiB", enforced: "10MB", want: 10 * units.MiB},
		{name: "lower with another unit is kept", limit: "512KiB", enforced: "10MB", want: 512 * units.KiB},
		{name: "equal in other units is kept", limit: "2048KB", enforced: "2MB", want: 2 * units.MiB},
		{name: "fractions compare by value", limit: "1.5GB", enforced: "1GB", want: units.GiB},
		{name: "fraction below the enforced limit is kept", limit: ".5MB", enforced: "1MB", want: 512 * units.KiB},
		{name: "bytes", limit: "100B", enforced: "1KB", want: 100},
		{name: "no enforced limit keeps the user's", limit: "1GiB", want: units.GiB},
		{name: "neither set means no limit", want: 0},
		{name: "an explicit 0 (no limit) becomes the enforced limit", limit: "0", enforced: "10MB", want: 10 * units.MiB},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, o := range limitedObjects {
				t.Run(o.kind, func(t *testing.T) {
					g := NewWithT(t)
					var body *monitoringv1.ByteSize
					if tc.limit != "" {
						body = ptr(monitoringv1.ByteSize(tc.limit))
					}
					in, jobName := o.make(monitoringv1.ScrapeLimits{}, body)
					in.Prometheus = newPrometheus(func(p *monitoringv1.Prometheus) {
						p.Spec.EnforcedBodySizeLimit = monitoringv1.ByteSize(tc.enforced)
					})
					want := tc.want
					if o.kind == "Probe" {
						// A Probe only ever gets the enforced limit.
						want = 0
						if tc.enforced != "" {
							e, err := units.ParseBase2Bytes(tc.enforced)
							g.Expect(err).NotTo(HaveOccurred())
							want = e
						}
					}
					res := mustGenerate(t, in)
					g.Expect(res.Rejected).To(BeEmpty())
					g.Expect(scrapeJob(t, load(t, res.Config), jobName).BodySizeLimit).To(Equal(want))
				})
			}
		})
	}
}

// TestBodySizeLimitInvalid: a monitor's unparsable size excludes that
// monitor only; an unparsable enforced size is the Prometheus object's own
// mistake and fails Generate rather than being blamed on every monitor.
func TestBodySizeLimitInvalid(t *testing.T) {
	t.Run("monitor's own size", func(t *testing.T) {
		for _, enforced := range []string{"", "10MB"} {
			t.Run("enforced="+enforced, func(t *testing.T) {
				g := NewWithT(t)
				bad := newServiceMonitor("team-a", "bad", func(m *monitoringv1.ServiceMonitor) {
					m.Spec.BodySizeLimit = ptr(monitoringv1.ByteSize("lots10MB"))
				})
				good := newServiceMonitor("team-a", "good")
				res := mustGenerate(t, Input{
					Prometheus: newPrometheus(func(p *monitoringv1.Prometheus) {
						p.Spec.EnforcedBodySizeLimit = monitoringv1.ByteSize(enforced)
					}),
					ServiceMonitors: []*monitoringv1.ServiceMonitor{bad, good},
				})
				g.Expect(rejectedNames(res.Rejected)).To(Equal([]string{"ServiceMonitor team-a/bad"}))
				g.Expect(jobNames(load(t, res.Config))).To(Equal([]string{"serviceMonitor/team-a/good/0"}))
			})
		}
	})
	t.Run("enforced size", func(t *testing.T) {
		g := NewWithT(t)
		_, err := Generate(Input{
			Prometheus: newPrometheus(func(p *monitoringv1.Prometheus) {
				p.Spec.EnforcedBodySizeLimit = "lots10MB"
			}),
			ServiceMonitors: []*monitoringv1.ServiceMonitor{newServiceMonitor("team-a", "good")},
		})
		g.Expect(err).To(MatchError(ContainSubstring("enforcedBodySizeLimit")))
	})
}

// TestCappedAsWritten: a job's own limit as written, next to the global
// one, as Prometheus Operator writes it (pkg/prometheus/promcfg.go:
// 2250-2268 for counts, 5339-5356 for the body size): unset or 0 is left
// to the global limit, a higher limit becomes the enforced one.
func TestCappedAsWritten(t *testing.T) {
	u := func(v uint64) *uint64 { return &v }
	i := func(v int64) *int64 { return &v }
	for _, tc := range []struct {
		name     string
		limit    *uint64
		enforced *int64
		want     *uint64
	}{
		{name: "neither set"},
		{name: "no enforced limit", limit: u(500), want: u(500)},
		{name: "an enforced 0 enforces nothing", limit: u(500), enforced: i(0), want: u(500)},
		{name: "unset is left to global", enforced: i(100)},
		{name: "0 is left to global", limit: u(0), enforced: i(100)},
		{name: "0 without an enforced limit is written", limit: u(0), want: u(0)},
		{name: "higher becomes the enforced limit", limit: u(500), enforced: i(100), want: u(100)},
		{name: "lower is kept", limit: u(10), enforced: i(100), want: u(10)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			NewWithT(t).Expect(capped(tc.limit, tc.enforced)).To(Equal(tc.want))
		})
	}
	for _, tc := range []struct {
		name, limit, enforced, want string
	}{
		{name: "neither set"},
		{name: "no enforced limit", limit: "1GiB", want: "1GiB"},
		{name: "unset becomes the enforced limit", enforced: "10MB", want: "10MB"},
		{name: "0 is kept, and global applies", limit: "0", enforced: "10MB", want: "0"},
		{name: "higher becomes the enforced limit", limit: "1GiB", enforced: "10MB", want: "10MB"},
		{name: "lower is kept", limit: "512KiB", enforced: "10MB", want: "512KiB"},
		// Vigil's one difference: Prometheus Operator would write 0 here,
		// lifting the object's limit.
		{name: "an enforced 0 leaves the limit alone", limit: "1GiB", enforced: "0", want: "1GiB"},
	} {
		t.Run("bodySizeLimit/"+tc.name, func(t *testing.T) {
			g := NewWithT(t)
			var limit *monitoringv1.ByteSize
			if tc.limit != "" {
				limit = ptr(monitoringv1.ByteSize(tc.limit))
			}
			got, err := cappedSize(limit, monitoringv1.ByteSize(tc.enforced))
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

// TestGlobalLimits: the enforced limits go into global as Prometheus
// Operator writes them there (pkg/prometheus/promcfg.go:3145-3178), so
// that additionalScrapeConfigs, and monitors with no limit or 0, obey them.
func TestGlobalLimits(t *testing.T) {
	i := func(v int64) *int64 { return &v }
	for _, tc := range []struct {
		name string
		prom func(*monitoringv1.Prometheus)
		want GlobalLimits
	}{
		{name: "none", prom: func(*monitoringv1.Prometheus) {}},
		{name: "every enforced limit", prom: func(p *monitoringv1.Prometheus) {
			p.Spec.EnforcedSampleLimit, p.Spec.EnforcedTargetLimit, p.Spec.EnforcedLabelLimit = i(1000), i(50), i(30)
			p.Spec.EnforcedLabelNameLengthLimit, p.Spec.EnforcedLabelValueLengthLimit = i(100), i(500)
			p.Spec.EnforcedKeepDroppedTargets, p.Spec.EnforcedBodySizeLimit = i(5), "10MB"
		}, want: GlobalLimits{BodySizeLimit: "10MB", SampleLimit: ptr(uint64(1000)), TargetLimit: ptr(uint64(50)),
			LabelLimit: ptr(uint64(30)), LabelNameLengthLimit: ptr(uint64(100)), LabelValueLengthLimit: ptr(uint64(500)),
			KeepDroppedTargets: ptr(uint64(5))}},
		{name: "an enforced 0 is left out, but for the body size", prom: func(p *monitoringv1.Prometheus) {
			p.Spec.EnforcedSampleLimit, p.Spec.EnforcedBodySizeLimit = i(0), "0"
		}, want: GlobalLimits{BodySizeLimit: "0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			NewWithT(t).Expect(newGenerator(Input{Prometheus: newPrometheus(tc.prom)}).globalLimits()).To(Equal(tc.want))
		})
	}
}

// TestAdditionalScrapeConfigsObeyEnforcedLimits: a job of
// additionalScrapeConfigs gets the enforced limits through global, as
// Prometheus loads the file; a limit of its own is its own.
func TestAdditionalScrapeConfigsObeyEnforcedLimits(t *testing.T) {
	g := NewWithT(t)
	store := newMapStore().withSecret("monitoring", "extra", map[string]string{"jobs.yaml": `
- job_name: external
  static_configs: [{targets: ["10.0.0.1:9100"]}]
- job_name: own-limit
  sample_limit: 5000
  static_configs: [{targets: ["10.0.0.2:9100"]}]
`})
	p := newPrometheus(func(p *monitoringv1.Prometheus) {
		p.Spec.AdditionalScrapeConfigs = secretKey("extra", "jobs.yaml")
		p.Spec.EnforcedSampleLimit, p.Spec.EnforcedKeepDroppedTargets = ptr(int64(1000)), ptr(int64(5))
		p.Spec.EnforcedBodySizeLimit = "10MB"
	})
	c := load(t, mustGenerate(t, Input{Prometheus: p, Store: store}).Config)
	external := scrapeJob(t, c, "external")
	g.Expect(external.SampleLimit).To(BeEquivalentTo(1000))
	g.Expect(external.KeepDroppedTargets).To(BeEquivalentTo(5))
	g.Expect(external.BodySizeLimit).To(Equal(10 * units.MiB))
	g.Expect(scrapeJob(t, c, "own-limit").SampleLimit).To(BeEquivalentTo(5000))
}
