package promconfig

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"

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
	cfg, err := g.base()
	if err != nil {
		return Result{}, err
	}
	jobs := g.jobs()
	extra, err := g.additionalScrapeConfigs()
	if err != nil {
		return Result{}, err
	}
	return assemble(cfg, jobs, extra)
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

// assemble puts the accepted jobs into cfg, checks the whole file with
// Prometheus's parser and, when that fails, finds the objects whose jobs do
// not load and leaves them out.
func assemble(cfg *Config, jobs []job, extra []yaml.Node) (Result, error) {
	var res Result
	var accepted []job
	for _, j := range jobs {
		if j.err != nil {
			res.Rejected = append(res.Rejected, Rejection{Kind: j.kind, Namespace: j.namespace, Name: j.name, Reason: j.err.Error()})
			continue
		}
		accepted = append(accepted, j)
	}
	out, err := render(cfg, accepted, extra)
	if err != nil {
		return Result{}, err
	}
	if err := validate(out); err != nil {
		// Slow path: something got past the per-object checks. Load each
		// object's jobs alone to find which.
		var kept []job
		for _, j := range accepted {
			one, err := render(cfg, []job{j}, nil)
			if err == nil {
				err = validate(one)
			}
			if err != nil {
				res.Rejected = append(res.Rejected, Rejection{Kind: j.kind, Namespace: j.namespace, Name: j.name, Reason: "invalid configuration: " + err.Error()})
				continue
			}
			kept = append(kept, j)
		}
		if out, err = render(cfg, kept, extra); err != nil {
			return Result{}, err
		}
		if err := validate(out); err != nil {
			return Result{}, fmt.Errorf("generated configuration does not load: %w", err)
		}
	}
	rejection.Sort(res.Rejected)
	res.Config = out
	return res, nil
}

// render encodes cfg with the jobs' scrape configs and the additional scrape
// configs appended.
func render(cfg *Config, jobs []job, extra []yaml.Node) ([]byte, error) {
	c := *cfg
	c.ScrapeConfigs = nil
	for _, j := range jobs {
		for _, sc := range j.configs {
			c.ScrapeConfigs = append(c.ScrapeConfigs, sc)
		}
	}
	for i := range extra {
		c.ScrapeConfigs = append(c.ScrapeConfigs, &extra[i])
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&c); err != nil {
		return nil, fmt.Errorf("encoding configuration: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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
