package fielduse

import (
	"reflect"
	"testing"

	. "github.com/onsi/gomega"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// The checks are only as good as their helpers; these pin what they do.

func TestCoverTakesTheLongestEntry(t *testing.T) {
	g := NewWithT(t)
	tab := table{"K": {"spec.a": "x", "spec.a.b": "y", "spec.ab": "z"}}
	for path, want := range map[string]string{
		"spec.a": "spec.a", "spec.a.c": "spec.a", "spec.a.b.c": "spec.a.b", "spec.ab.c": "spec.ab", "spec.abc": "",
	} {
		got, _ := tab.cover("K", path)
		g.Expect(got).To(Equal(want), path)
	}
}

func TestGoFieldNameFollowsInlineStructsListsAndPointers(t *testing.T) {
	g := NewWithT(t)
	sm := reflect.TypeFor[monitoringv1.ServiceMonitorSpec]()
	for path, want := range map[string]string{
		"spec.scrapeClass":                     "ScrapeClassName",
		"spec.sampleLimit":                     "SampleLimit", // inline ScrapeLimits
		"spec.endpoints.basicAuth":             "BasicAuth",   // inline HTTPClientConfig
		"spec.endpoints.proxyUrl":              "ProxyURL",    // inline ProxyConfig within it
		"spec.endpoints.tlsConfig.caFile":      "CAFile",      // inline TLSFilesConfig
		"spec.endpoints.metricRelabelings":     "MetricRelabelConfigs",
		"spec.endpoints.tlsConfig.ca.secret":   "Secret",
		"spec.selector.matchExpressions.key":   "Key",
		"spec.endpoints.relabelings.separator": "Separator",
	} {
		got, err := goFieldName(sm, path)
		g.Expect(err).NotTo(HaveOccurred(), path)
		g.Expect(got).To(Equal(want), path)
	}
	_, err := goFieldName(sm, "spec.endpoints.nope")
	g.Expect(err).To(HaveOccurred())
}

func TestLookupFindsFunctionsAndMethods(t *testing.T) {
	g := NewWithT(t)
	f := funcs{
		"internal/x.plain":          {"A": true},
		"internal/x.(*gen).method":  {"B": true},
		"internal/x.(value).method": {"C": true},
	}
	for ref, want := range map[string]string{
		"internal/x.plain":          "A",
		"internal/x.(*gen).method":  "B",
		"internal/x.(gen).method":   "B",
		"internal/x.(value).method": "C",
	} {
		body, err := f.lookup(ref)
		g.Expect(err).NotTo(HaveOccurred(), ref)
		g.Expect(body).To(HaveKey(want), ref)
	}
	for _, ref := range []string{"internal/x.missing", "internal/y.plain", "not a reference", "internal/x.(*gen)"} {
		_, err := f.lookup(ref)
		g.Expect(err).To(HaveOccurred(), ref)
	}
}
