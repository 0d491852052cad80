package promconfig

import (
	"cmp"
	"slices"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// Store resolves the Secret and ConfigMap keys that objects reference. The
// namespace is always the referring object's own: a reference never crosses
// namespaces.
type Store = assets.Source

// Input is everything one Prometheus object's configuration is made from.
// The monitors are the ones the Prometheus selects (see package selection).
type Input struct {
	Prometheus      *monitoringv1.Prometheus
	ServiceMonitors []*monitoringv1.ServiceMonitor
	PodMonitors     []*monitoringv1.PodMonitor
	Probes          []*monitoringv1.Probe
	ScrapeConfigs   []*monitoringv1alpha1.ScrapeConfig
	// RuleConfigMaps are the names of the ConfigMaps holding rule files,
	// mounted under /etc/prometheus/rules/<name>/.
	RuleConfigMaps []string
	Store          Store
	// Cache, when set, keeps each object's encoded and checked jobs from
	// one call to the next (for the same Prometheus object), so that only
	// the objects that changed are encoded and checked again. The output
	// is the same with or without it.
	Cache *Cache
}

// Rejection is an object left out of the configuration, and why.
type Rejection = rejection.Rejection

// Result is the generated configuration.
type Result struct {
	// Config is prometheus.yaml. $(SHARD) and $(POD_NAME) are left for the
	// config reloader to substitute per pod.
	Config []byte
	// Rejected lists the objects left out, sorted by kind, namespace, name.
	Rejected []Rejection
}

// job is one object's scrape jobs, or why it has none.
type job struct {
	kind, namespace, name string
	configs               []*ScrapeConfig
	err                   error
}

// Generate builds prometheus.yaml. It fails only when the Prometheus
// object's own settings cannot make a valid configuration; a bad monitor is
// left out and reported in Result.Rejected.
func Generate(in Input) (Result, error) {
	g := newGenerator(in)
	var err error
	if g.classes, err = newScrapeClasses(in.Prometheus, in.Store); err != nil {
		return Result{}, err
	}
	cfg, err := g.base()
	if err != nil {
		return Result{}, err
	}
	jobs := g.jobs()
	extra, err := g.additionalScrapeConfigs()
	if err != nil {
		return Result{}, err
	}
	return assemble(cfg, jobs, extra, in.Cache)
}

// jobs builds every selected object's jobs, in Prometheus Operator's order:
// ServiceMonitors, PodMonitors, Probes, ScrapeConfigs, each sorted by
// namespace and name.
func (g *generator) jobs() []job {
	var jobs []job
	for _, m := range sortedByKey(g.in.ServiceMonitors) {
		c, err := g.serviceMonitorJobs(m)
		jobs = append(jobs, job{"ServiceMonitor", m.Namespace, m.Name, c, err})
	}
	for _, m := range sortedByKey(g.in.PodMonitors) {
		c, err := g.podMonitorJobs(m)
		jobs = append(jobs, job{"PodMonitor", m.Namespace, m.Name, c, err})
	}
	for _, p := range sortedByKey(g.in.Probes) {
		c, err := g.probeJobs(p)
		jobs = append(jobs, job{"Probe", p.Namespace, p.Name, c, err})
	}
	for _, s := range sortedByKey(g.in.ScrapeConfigs) {
		c, err := g.scrapeConfigJobs(s)
		jobs = append(jobs, job{"ScrapeConfig", s.Namespace, s.Name, c, err})
	}
	return jobs
}

type keyed interface {
	GetNamespace() string
	GetName() string
}

func sortedByKey[T keyed](objs []T) []T {
	out := slices.Clone(objs)
	slices.SortFunc(out, func(a, b T) int {
		return cmp.Or(cmp.Compare(a.GetNamespace(), b.GetNamespace()), cmp.Compare(a.GetName(), b.GetName()))
	})
	return out
}
