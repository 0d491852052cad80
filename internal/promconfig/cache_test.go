package promconfig

import (
	"testing"

	. "github.com/onsi/gomega"
)

// TestCacheGivesTheSameResult: with a cache, Generate returns exactly what
// it returns without one, across edits, a monitor turning bad and back, and
// a change of the base configuration.
func TestCacheGivesTheSameResult(t *testing.T) {
	g := NewWithT(t)
	in := benchInput(t, 20)
	cached := in
	cached.Cache = NewCache()
	edits := []func(){
		func() {},
		func() { in.ServiceMonitors[3].Spec.Endpoints[0].Interval = "15s" },
		func() { in.ServiceMonitors[5].Spec.Endpoints[1].RelabelConfigs[0].Regex = "(unclosed" },
		func() {}, // the bad monitor's verdict now comes from the cache
		func() {
			in.ServiceMonitors[7].Spec.Endpoints[0].Interval = ""
			in.ServiceMonitors[7].Spec.Endpoints[0].ScrapeTimeout = "20s"
		},
		// Valid with the global 30s interval, invalid with 10s: a verdict
		// depends on the base configuration too.
		func() { in.Prometheus.Spec.ScrapeInterval = "10s" },
		func() { in.ServiceMonitors[5].Spec.Endpoints[1].RelabelConfigs[0].Regex = "" },
		func() { in.ServiceMonitors = in.ServiceMonitors[1:] },
	}
	for i, edit := range edits {
		edit()
		cached.ServiceMonitors, cached.Prometheus = in.ServiceMonitors, in.Prometheus
		want, err := Generate(in)
		g.Expect(err).NotTo(HaveOccurred())
		got, err := Generate(cached)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(string(got.Config)).To(Equal(string(want.Config)), "step %d", i)
		g.Expect(got.Rejected).To(Equal(want.Rejected), "step %d", i)
		switch i {
		case 2, 3, 4:
			g.Expect(got.Rejected).To(HaveLen(1), "step %d: the bad monitor is rejected", i)
		case 5:
			g.Expect(got.Rejected).To(HaveLen(2), "step %d: the timeout is now over the interval", i)
		}
	}
}
