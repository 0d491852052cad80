package pipeline_test

import (
	"fmt"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	amconfig "github.com/prometheus/alertmanager/config"
	promconfig "github.com/prometheus/prometheus/config"
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
)

// load reads manifests as vigilctl does, and makes the pipeline's input.
func load(t *testing.T, path string, files assets.FileReferencePolicy) (*inventory.Inventory, pipeline.Snapshot) {
	t.Helper()
	inv, err := inventory.Load([]string{path}, "default")
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Problems) > 0 {
		t.Fatalf("problems reading %s: %v", path, inv.Problems)
	}
	return inv, pipeline.FromInventory(inv, files)
}

// described is each decision as "Kind namespace/name Reason".
func described(ds []pipeline.Decision) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("%s %s/%s %s", d.Kind, d.Namespace, d.Name, d.Reason)
	}
	return out
}

// TestPrometheusDecisions: every selected object gets one decision, with a
// reason a condition can carry, and the configuration Prometheus's own
// loader reads has exactly the accepted objects' jobs.
func TestPrometheusDecisions(t *testing.T) {
	for _, tc := range []struct {
		files     assets.FileReferencePolicy
		tokenFile string
	}{
		{"", "Accepted"},
		{assets.FileReferencesOwnerNamespace, "FileReferenceDenied"},
	} {
		t.Run("file references "+tc.files.String(), func(t *testing.T) {
			g := NewWithT(t)
			inv, snap := load(t, "testdata/reasons.yaml", tc.files)
			res, err := pipeline.Prometheus(inv.Prometheuses[0], snap, nil)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(described(res.Decisions)).To(Equal([]string{
				"Probe apps/no-targets InvalidSpec",
				"PrometheusRule apps/bad-expr RefusedByPrometheus",
				"PrometheusRule apps/good Accepted",
				"ScrapeConfig apps/good Accepted",
				"ScrapeConfig apps/same-job JobNameConflict",
				"ServiceMonitor apps/bad-ca InvalidTLSMaterial",
				"ServiceMonitor apps/bad-interval RefusedByPrometheus",
				"ServiceMonitor apps/bad-relabel RefusedByPrometheus",
				"ServiceMonitor apps/good Accepted",
				"ServiceMonitor apps/missing-secret ReferenceNotFound",
				"ServiceMonitor apps/optional-secret Accepted",
				"ServiceMonitor apps/token-file " + tc.tokenFile,
				"ServiceMonitor apps/unknown-class UnknownScrapeClass",
			}))
			for _, d := range res.Decisions {
				if !d.Accepted() {
					g.Expect(d.Err).To(HaveOccurred(), "%s %s/%s says why", d.Kind, d.Namespace, d.Name)
					g.Expect(d.Message()).NotTo(ContainSubstring("s3cr3t"), "no Secret value in a message")
				}
			}

			cfg, err := promconfig.Load(string(res.Config), nil)
			g.Expect(err).NotTo(HaveOccurred())
			var jobs []string
			for _, j := range cfg.ScrapeConfigs {
				jobs = append(jobs, j.JobName)
			}
			want := []string{"serviceMonitor/apps/good/0", "serviceMonitor/apps/optional-secret/0"}
			if tc.tokenFile == "Accepted" {
				want = append(want, "serviceMonitor/apps/token-file/0")
			}
			g.Expect(jobs).To(Equal(append(want, "scrapeConfig/apps/good", "scrapeConfig/apps/same-job")),
				"the last is the additional job, which wins its name")
			g.Expect(cfg.RuleFiles).To(Equal([]string{"/etc/prometheus/rules/prometheus-main-rulefiles-0/*.yaml"}))
			g.Expect(res.RuleConfigMaps).To(HaveLen(1))
			g.Expect(res.RuleConfigMaps[0].Name).To(Equal("prometheus-main-rulefiles-0"))
			g.Expect(res.RuleConfigMaps[0].Data).To(HaveLen(1), "the good rule's file only")
		})
	}
}

// TestReferencesRead: the keys the pipeline reports are exactly those the
// selected objects name, missing and optional ones included, and none of
// an object it does not select.
func TestReferencesRead(t *testing.T) {
	g := NewWithT(t)
	inv, snap := load(t, "testdata/reasons.yaml", "")
	res, err := pipeline.Prometheus(inv.Prometheuses[0], snap, nil)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.References).To(Equal([]assets.Reference{
		{Kind: "Secret", Namespace: "apps", Name: "creds", Key: "ca"},
		{Kind: "Secret", Namespace: "apps", Name: "creds", Key: "token"},
		{Kind: "Secret", Namespace: "apps", Name: "gone", Key: "token"},
		{Kind: "Secret", Namespace: "monitoring", Name: "extra", Key: "jobs.yaml"},
	}))

	am, err := pipeline.Alertmanager(inv.Alertmanagers[0], snap)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(am.References).To(Equal([]assets.Reference{
		{Kind: "Secret", Namespace: "apps", Name: "creds", Key: "hook-url"},
		{Kind: "Secret", Namespace: "monitoring", Name: "alertmanager-main", Key: "alertmanager.yaml"},
	}), "the configuration Secret is read too, missing as it is")
}

// TestAlertmanagerDecisions: the same for an Alertmanager, checked with
// Alertmanager's own loader.
func TestAlertmanagerDecisions(t *testing.T) {
	for _, tc := range []struct {
		files   assets.FileReferencePolicy
		botFile string
	}{
		{"", "Accepted"},
		{assets.FileReferencesNone, "FileReferenceDenied"},
	} {
		t.Run("file references "+tc.files.String(), func(t *testing.T) {
			g := NewWithT(t)
			inv, snap := load(t, "testdata/reasons.yaml", tc.files)
			res, err := pipeline.Alertmanager(inv.Alertmanagers[0], snap)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(described(res.Decisions)).To(Equal([]string{
				"AlertmanagerConfig apps/bot-file " + tc.botFile,
				"AlertmanagerConfig apps/missing-url ReferenceNotFound",
				"AlertmanagerConfig apps/no-smtp RefusedByAlertmanager",
				"AlertmanagerConfig apps/plain Accepted",
			}))
			cfg, err := amconfig.Load(string(res.Config))
			g.Expect(err).NotTo(HaveOccurred())
			var receivers []string
			for _, r := range cfg.Receivers {
				receivers = append(receivers, r.Name)
			}
			want := []string{"null", "apps/plain/hook"}
			if tc.botFile == "Accepted" {
				want = []string{"null", "apps/bot-file/bot", "apps/plain/hook"}
			}
			g.Expect(receivers).To(Equal(want))
		})
	}
}

// TestPrometheusErrorKeepsRules: when the Prometheus object's own settings
// cannot make a configuration, the rules are still made and the references
// still reported, so that the operator can write the rules and watch the
// missing Secret.
func TestPrometheusErrorKeepsRules(t *testing.T) {
	g := NewWithT(t)
	inv, snap := load(t, "testdata/reasons.yaml", "")
	p := inv.Prometheuses[0].DeepCopy()
	p.Spec.AdditionalScrapeConfigs = &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "extra"}, Key: "missing.yaml"}
	res, err := pipeline.Prometheus(p, snap, nil)
	g.Expect(err).To(MatchError(ContainSubstring(`key "missing.yaml" of secret "extra" in namespace "monitoring": not found`)))
	g.Expect(res.Config).To(BeNil())
	g.Expect(res.RuleConfigMaps).To(HaveLen(1))
	g.Expect(described(res.Decisions)).To(Equal([]string{
		"PrometheusRule apps/bad-expr RefusedByPrometheus",
		"PrometheusRule apps/good Accepted",
	}))
	g.Expect(res.References).To(ContainElement(assets.Reference{Kind: "Secret", Namespace: "monitoring", Name: "extra", Key: "missing.yaml"}))
}

// TestUnmanaged: with no monitor selector the configuration is the
// user's; the rules are still the operator's.
func TestUnmanaged(t *testing.T) {
	g := NewWithT(t)
	inv, snap := load(t, "testdata/reasons.yaml", "")
	p := inv.Prometheuses[0].DeepCopy()
	p.Spec.ServiceMonitorSelector, p.Spec.PodMonitorSelector, p.Spec.ProbeSelector, p.Spec.ScrapeConfigSelector = nil, nil, nil, nil
	res, err := pipeline.Prometheus(p, snap, nil)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Unmanaged).To(BeTrue())
	g.Expect(res.Config).To(BeNil())
	g.Expect(described(res.Decisions)).To(HaveEach(HavePrefix("PrometheusRule ")))
}

// TestCachesPerOwner: each owner has its own cache, by UID, which can be
// dropped; the output is the same with and without it, also after an edit.
func TestCachesPerOwner(t *testing.T) {
	g := NewWithT(t)
	inv, snap := load(t, "testdata/reasons.yaml", "")
	p := inv.Prometheuses[0]
	caches := pipeline.NewCaches()
	generate := func(c *pipeline.Caches, p *monitoringv1.Prometheus) string {
		res, err := pipeline.Prometheus(p, snap, c)
		g.Expect(err).NotTo(HaveOccurred())
		return string(res.Config)
	}
	uncached := generate(nil, p)
	g.Expect(generate(caches, p)).To(Equal(uncached))
	g.Expect(generate(caches, p)).To(Equal(uncached), "from the cache")

	other := p.DeepCopy()
	other.UID = "6f1c0f5e-0000-4000-8000-000000000003"
	other.Spec.ScrapeInterval = "10s"
	g.Expect(generate(caches, other)).To(Equal(generate(nil, other)))
	g.Expect(caches.Len()).To(Equal(2))

	edited := snap.ServiceMonitors[0].DeepCopy()
	g.Expect(edited.Name).To(Equal("good"))
	edited.Spec.Endpoints[0].Interval = "7s"
	snap.ServiceMonitors = append([]*monitoringv1.ServiceMonitor{edited}, snap.ServiceMonitors[1:]...)
	after := generate(caches, p)
	g.Expect(after).To(Equal(generate(nil, p)))
	g.Expect(strings.Count(after, "scrape_interval: 7s")).To(Equal(1))

	caches.Drop(other.UID)
	g.Expect(caches.Len()).To(Equal(1))
	noUID := p.DeepCopy()
	noUID.UID = ""
	generate(caches, noUID)
	g.Expect(caches.Len()).To(Equal(1), "an object not read from an API server gets no cache")
}
