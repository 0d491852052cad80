package promconfig

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/config"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/relabel"
	"github.com/prometheus/prometheus/scrape"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets"
)

// mapStore is a Store backed by maps, as the controller's cache is, that
// records every lookup so tests can check which namespace was asked.
type mapStore struct {
	secrets    map[string]map[string]string // "<namespace>/<name>" -> key -> value
	configMaps map[string]map[string]string
	calls      []storeCall
}

// storeCall is one lookup made through the Store.
type storeCall struct {
	Kind, Namespace, Name, Key string
}

func newMapStore() *mapStore {
	return &mapStore{secrets: map[string]map[string]string{}, configMaps: map[string]map[string]string{}}
}

func (s *mapStore) withSecret(namespace, name string, data map[string]string) *mapStore {
	s.secrets[namespace+"/"+name] = data
	return s
}

func (s *mapStore) withConfigMap(namespace, name string, data map[string]string) *mapStore {
	s.configMaps[namespace+"/"+name] = data
	return s
}

func (s *mapStore) SecretKey(namespace string, sel corev1.SecretKeySelector) (string, error) {
	s.calls = append(s.calls, storeCall{"Secret", namespace, sel.Name, sel.Key})
	return lookup("secret", s.secrets, namespace, sel.Name, sel.Key, sel.Optional)
}

func (s *mapStore) ConfigMapKey(namespace string, sel corev1.ConfigMapKeySelector) (string, error) {
	s.calls = append(s.calls, storeCall{"ConfigMap", namespace, sel.Name, sel.Key})
	return lookup("configmap", s.configMaps, namespace, sel.Name, sel.Key, sel.Optional)
}

func lookup(kind string, objs map[string]map[string]string, namespace, name, key string, optional *bool) (string, error) {
	// Missing ones wrap assets.ErrNotFound, as the Source contract says:
	// whether an optional one may be missing is the resolver's to decide.
	data, ok := objs[namespace+"/"+name]
	if !ok {
		return "", fmt.Errorf("%s %s/%s %w", kind, namespace, name, assets.ErrNotFound)
	}
	v, ok := data[key]
	if !ok {
		return "", fmt.Errorf("%s %s/%s has no key %q: %w", kind, namespace, name, key, assets.ErrNotFound)
	}
	return v, nil
}

// namespacesAsked lists, sorted and without repeats, the namespaces the
// Store was asked about.
func (s *mapStore) namespacesAsked() []string {
	var out []string
	for _, c := range s.calls {
		if !slices.Contains(out, c.Namespace) {
			out = append(out, c.Namespace)
		}
	}
	slices.Sort(out)
	return out
}

// Object builders, in the functional-option style: a name and the changes
// that matter to the test.

const (
	promNamespace = "monitoring"
	promName      = "main"
)

func newPrometheus(opts ...func(*monitoringv1.Prometheus)) *monitoringv1.Prometheus {
	all := &metav1.LabelSelector{}
	p := &monitoringv1.Prometheus{
		ObjectMeta: metav1.ObjectMeta{Namespace: promNamespace, Name: promName},
	}
	p.Spec.ServiceMonitorSelector, p.Spec.ServiceMonitorNamespaceSelector = all, all
	p.Spec.PodMonitorSelector, p.Spec.PodMonitorNamespaceSelector = all, all
	p.Spec.ProbeSelector, p.Spec.ProbeNamespaceSelector = all, all
	p.Spec.ScrapeConfigSelector, p.Spec.ScrapeConfigNamespaceSelector = all, all
	for _, o := range opts {
		o(p)
	}
	return p
}

// newServiceMonitor makes a ServiceMonitor that selects Services labelled
// app=<name> and scrapes their port "web".
func newServiceMonitor(namespace, name string, opts ...func(*monitoringv1.ServiceMonitor)) *monitoringv1.ServiceMonitor {
	m := &monitoringv1.ServiceMonitor{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: monitoringv1.ServiceMonitorSpec{
			Selector:  metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Endpoints: []monitoringv1.Endpoint{{Port: "web"}},
		},
	}
	for _, o := range opts {
		o(m)
	}
	return m
}

func newPodMonitor(namespace, name string, opts ...func(*monitoringv1.PodMonitor)) *monitoringv1.PodMonitor {
	m := &monitoringv1.PodMonitor{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: monitoringv1.PodMonitorSpec{
			Selector:            metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
			PodMetricsEndpoints: []monitoringv1.PodMetricsEndpoint{{Port: ptr("metrics")}},
		},
	}
	for _, o := range opts {
		o(m)
	}
	return m
}

func newProbe(namespace, name string, opts ...func(*monitoringv1.Probe)) *monitoringv1.Probe {
	p := &monitoringv1.Probe{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: monitoringv1.ProbeSpec{
			ProberSpec: monitoringv1.ProberSpec{URL: "blackbox-exporter.monitoring.svc:19115"},
			Module:     "http_2xx",
			Targets: monitoringv1.ProbeTargets{StaticConfig: &monitoringv1.ProbeTargetStaticConfig{
				Targets: []string{"https://example.com", "https://example.org"},
			}},
		},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func newScrapeConfig(namespace, name string, opts ...func(*monitoringv1alpha1.ScrapeConfig)) *monitoringv1alpha1.ScrapeConfig {
	s := &monitoringv1alpha1.ScrapeConfig{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: monitoringv1alpha1.ScrapeConfigSpec{ScrapeConfigSources: monitoringv1alpha1.ScrapeConfigSources{
			StaticConfigs: []monitoringv1alpha1.StaticConfig{{Targets: []monitoringv1alpha1.Target{"10.0.0.1:9100"}}},
		}},
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

func secretKey(name, key string) *corev1.SecretKeySelector {
	return &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: name}, Key: key}
}

func configMapKey(name, key string) *corev1.ConfigMapKeySelector {
	return &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: name}, Key: key}
}

func intPort(p int) *intstr.IntOrString {
	v := intstr.FromInt32(int32(p))
	return &v
}

func namedPort(p string) *intstr.IntOrString {
	v := intstr.FromString(p)
	return &v
}

// mustGenerate generates a configuration that must not fail.
func mustGenerate(t testing.TB, in Input) Result {
	t.Helper()
	res, err := Generate(in)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return res
}

// load loads a configuration with Prometheus's parser, with $(SHARD)
// substituted as the config reloader does for shard 0.
func load(t testing.TB, cfg []byte) *config.Config {
	t.Helper()
	return loadShard(t, cfg, 0)
}

func loadShard(t testing.TB, cfg []byte, shard int) *config.Config {
	t.Helper()
	s := strings.ReplaceAll(string(cfg), "$(SHARD)", strconv.Itoa(shard))
	c, err := config.Load(s, discard)
	if err != nil {
		t.Fatalf("Prometheus does not load the configuration: %v\n%s", err, cfg)
	}
	return c
}

// scrapeJob returns the loaded scrape job with that name.
func scrapeJob(t testing.TB, c *config.Config, name string) *config.ScrapeConfig {
	t.Helper()
	for _, sc := range c.ScrapeConfigs {
		if sc.JobName == name {
			return sc
		}
	}
	t.Fatalf("no job %q in %v", name, jobNames(c))
	return nil
}

// rejectedNames lists the rejected objects as "Kind namespace/name".
func rejectedNames(r []Rejection) []string {
	var out []string
	for _, x := range r {
		out = append(out, x.Kind+" "+x.Namespace+"/"+x.Name)
	}
	return out
}

// reasonOf is the reason a rejected object was left out, or "".
func reasonOf(r []Rejection, kind, namespace, name string) string {
	for _, x := range r {
		if x.Kind == kind && x.Namespace == namespace && x.Name == name {
			return x.Message()
		}
	}
	return ""
}

// discover runs Prometheus's own target building (discovered labels, scrape
// settings, relabeling, instance default) on one discovered target and
// returns the labels its series get, without the "__" labels Prometheus
// drops; ok is false when relabeling dropped the target.
func discover(t testing.TB, sc *config.ScrapeConfig, meta map[string]string) (map[string]string, bool) {
	t.Helper()
	set := model.LabelSet{}
	for k, v := range meta {
		set[model.LabelName(k)] = model.LabelValue(v)
	}
	lset, err := scrape.PopulateLabels(labels.NewBuilder(labels.EmptyLabels()), sc, set, nil)
	if err != nil {
		t.Fatalf("job %s: building target: %v", sc.JobName, err)
	}
	if lset.IsEmpty() {
		return nil, false
	}
	out := map[string]string{}
	lset.Range(func(l labels.Label) {
		if !strings.HasPrefix(l.Name, "__") {
			out[l.Name] = l.Value
		}
	})
	return out, true
}

// expectLoads fails the test when Prometheus cannot load cfg.
func expectLoads(g Gomega, cfg []byte) {
	_, err := config.Load(strings.ReplaceAll(string(cfg), "$(SHARD)", "0"), discard)
	g.ExpectWithOffset(1, err).NotTo(HaveOccurred(), "Prometheus loads the configuration:\n%s", cfg)
}

// configJob is a scrape job as Prometheus loaded it.
type configJob = config.ScrapeConfig

// configLoadRaw loads a configuration as it is, $(SHARD) included.
func configLoadRaw(cfg []byte) (*config.Config, error) {
	return config.Load(string(cfg), discard)
}

// process applies relabel rules to a label set with Prometheus's engine.
func process(lset labels.Labels, rules ...*relabel.Config) (labels.Labels, bool) {
	lb := labels.NewBuilder(lset)
	keep := relabel.ProcessBuilder(lb, rules...)
	return lb.Labels(), keep
}

// described is each rejection as "Kind namespace/name [Reason] message".
func described(rs []Rejection) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("%s %s/%s [%s] %s", r.Kind, r.Namespace, r.Name, r.Reason, r.Message())
	}
	return out
}
