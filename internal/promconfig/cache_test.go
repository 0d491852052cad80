package promconfig

import (
	"fmt"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
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

// TestCacheFollowsEveryInput: with a cache, Generate returns what it
// returns without one after a change to each thing an object's jobs
// depend on: the object (edited in place, as the benchmark does, and with
// an empty list where there was none), a Secret it names, the Prometheus
// object, the file reference policy and a scrape class's Secret; and after
// changes to what they do not depend on (status, server-set metadata).
func TestCacheFollowsEveryInput(t *testing.T) {
	g := NewWithT(t)
	in := mixedInput()
	store := in.Store.(*mapStore)
	classes := loadCase(t, filepath.Join(casesDir, "scrape-classes.yaml"))
	classStore := classes.Store.(*mapStore)
	in.ServiceMonitors = append(in.ServiceMonitors, newServiceMonitor("team-a", "token-file", func(m *monitoringv1.ServiceMonitor) {
		m.Spec.Endpoints[0].BearerTokenFile = "/var/run/secrets/token"
	}))
	sm := in.ServiceMonitors[0]
	creds := map[string]string{"user": "u", "pass": "p", "h1": "v1", "h2": "v2"}
	ca := classStore.secrets["monitoring/internal-ca"]["ca.crt"]

	steps := []struct {
		name string
		edit func()
	}{
		{"nothing", func() {}},
		{"a Secret's value", func() {
			store.withSecret(sm.Namespace, "creds", map[string]string{"user": "u2", "pass": "p", "h1": "v1", "h2": "v2"})
		}},
		{"a Secret removed", func() { delete(store.secrets, sm.Namespace+"/creds") }},
		{"the Secret back", func() { store.withSecret(sm.Namespace, "creds", creds) }},
		{"an interval, in place", func() { sm.Spec.Endpoints[0].Interval = "15s" }},
		{"an empty list", func() { sm.Spec.NamespaceSelector.MatchNames = []string{} }},
		{"a namespace", func() { sm.Spec.NamespaceSelector.MatchNames = []string{"other"} }},
		{"no list", func() { sm.Spec.NamespaceSelector.MatchNames = nil }},
		{"the shards", func() { in.Prometheus.Spec.Shards = ptr(int32(3)) }},
		{"the enforced namespace label", func() { in.Prometheus.Spec.EnforcedNamespaceLabel = "team" }},
		{"the file reference policy", func() { in.FileReferencePolicy = FileReferencesNone }},
		{"the policy back", func() { in.FileReferencePolicy = FileReferencesAll }},
		{"a scrape class's Secret", func() {
			// Run for each input: a change for each input's cache.
			bundle := classStore.secrets[promNamespace+"/internal-ca"]["ca.crt"] + ca
			classStore.withSecret(promNamespace, "internal-ca", map[string]string{"ca.crt": bundle})
		}},
		{"status and server metadata", func() {
			for _, m := range in.ServiceMonitors {
				m.ResourceVersion, m.Generation = "42", 7
				m.Status.Bindings = []monitoringv1.WorkloadBinding{{Namespace: promNamespace, Name: promName}}
			}
			in.Prometheus.Status.Replicas = 3
		}},
		{"labels", func() { sm.Labels = map[string]string{"x": "y"} }},
	}
	for _, tc := range []struct {
		name string
		in   *Input
	}{{"mixed", &in}, {"scrape classes", &classes}} {
		cache := NewCache()
		for _, step := range steps {
			step.edit()
			want, wantErr := Generate(*tc.in)
			cached := *tc.in
			cached.Cache = cache
			got, err := Generate(cached)
			if wantErr != nil {
				g.Expect(err).To(MatchError(wantErr.Error()), "%s: after %s", tc.name, step.name)
				continue
			}
			g.Expect(err).NotTo(HaveOccurred(), "%s: after %s", tc.name, step.name)
			g.Expect(string(got.Config)).To(Equal(string(want.Config)), "%s: after %s", tc.name, step.name)
			g.Expect(got.Rejected).To(Equal(want.Rejected), "%s: after %s", tc.name, step.name)
		}
	}
}

// TestStatusAndMetadataAreNotRead: the builders read an object's
// namespace, name and spec (the view the cache hashes), not its status or
// the metadata the API server sets.
func TestStatusAndMetadataAreNotRead(t *testing.T) {
	g := NewWithT(t)
	in := mixedInput()
	want := mustGenerate(t, in)
	meta := func(o metav1.Object) {
		o.SetResourceVersion("99")
		o.SetGeneration(5)
		o.SetUID("uid")
		o.SetCreationTimestamp(metav1.Now())
		o.SetManagedFields([]metav1.ManagedFieldsEntry{{Manager: "vigil"}})
		o.SetOwnerReferences([]metav1.OwnerReference{{Name: "owner"}})
		o.SetFinalizers([]string{"f"})
	}
	status := monitoringv1.ConfigResourceStatus{Bindings: []monitoringv1.WorkloadBinding{{Namespace: promNamespace, Name: promName}}}
	for _, o := range in.ServiceMonitors {
		meta(o)
		o.Status = status
	}
	for _, o := range in.PodMonitors {
		meta(o)
		o.Status = status
	}
	for _, o := range in.Probes {
		meta(o)
		o.Status = status
	}
	for _, o := range in.ScrapeConfigs {
		meta(o)
		o.Status = status
	}
	meta(in.Prometheus)
	in.Prometheus.Status.Replicas, in.Prometheus.Status.AvailableReplicas = 2, 1
	got := mustGenerate(t, in)
	g.Expect(string(got.Config)).To(Equal(string(want.Config)))
	g.Expect(got.Rejected).To(Equal(want.Rejected))
}

// TestCacheKnowsObjectsByVersion: an object with a UID and a resource
// version, which the API server changes with every write, is known by
// them: while they stay the same its view is not hashed again (an edit
// that keeps them, which the API server never makes, goes unseen), and a
// new version is built again.
func TestCacheKnowsObjectsByVersion(t *testing.T) {
	g := NewWithT(t)
	in := mixedInput()
	for i, m := range in.ServiceMonitors {
		m.UID, m.ResourceVersion = types.UID(fmt.Sprint("uid-", i)), "1"
	}
	sm := in.ServiceMonitors[0]
	cached := in
	cached.Cache = NewCache()
	first := mustGenerate(t, cached)

	sm.Spec.Endpoints[0].Interval = "17s"
	g.Expect(string(mustGenerate(t, cached).Config)).To(Equal(string(first.Config)), "the same version is the same object")

	sm.ResourceVersion = "2"
	want := mustGenerate(t, in)
	g.Expect(string(want.Config)).To(ContainSubstring("scrape_interval: 17s"))
	g.Expect(string(mustGenerate(t, cached).Config)).To(Equal(string(want.Config)), "a new version is built again")
}
