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
