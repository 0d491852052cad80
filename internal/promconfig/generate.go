package promconfig

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/types"

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
	// FileReferencePolicy is the administrator's policy for the files
	// objects make Prometheus use; the zero value is FileReferencesAll.
	FileReferencePolicy FileReferencePolicy
	// Cache, when set, keeps each object's encoded and checked jobs from
	// one call to the next (for the same Prometheus object), so that only
	// the objects that changed (or whose Secrets did) are built, encoded
	// and checked again. The output is the same with or without it.
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
	// FileReferences lists every file a selected object makes Prometheus
	// use, honoured or not, sorted by kind, namespace, name and field.
	FileReferences []FileReference
	// Unmanaged says the Prometheus object sets none of the four monitor
	// selectors: its prometheus.yaml is the user's to write, as with
	// Prometheus Operator, and Config is nil.
	Unmanaged bool
}

// job is one object's scrape jobs, or why it has none.
type job struct {
	kind, namespace, name string
	// names are the jobs' names; configs the jobs, until they are encoded.
	names   []string
	configs []*ScrapeConfig
	err     error
	// secrets are the Secret values read for the object, which a message
	// about its jobs must not quote.
	secrets []string
}

// task is an object whose jobs are still to be built: build makes them,
// unless err already says why the object has none. view is what of the
// object its jobs may depend on (see objectView), for the cache.
type task struct {
	kind, namespace, name string
	view                  objectView
	// version is the object's UID and resource version, which identify
	// its content on the API server: the cache keeps the view's hash under
	// it, so that an object unchanged since the last call is not encoded
	// to be hashed again. Empty (offline input) when the object has none.
	version string
	build   func(*generator) ([]*ScrapeConfig, error)
	err     error
}

// run builds t's jobs with g.
func (t task) run(g *generator) job {
	j := job{kind: t.kind, namespace: t.namespace, name: t.name, err: t.err}
	if j.err == nil {
		j.configs, j.err = t.build(g)
	}
	if j.err != nil {
		j.configs = nil
	}
	for _, c := range j.configs {
		j.names = append(j.names, c.JobName)
	}
	j.secrets = g.secretsRead(t.kind, t.namespace, t.name)
	return j
}

// Unmanaged says whether p leaves its configuration to its user: it sets
// no ServiceMonitor, PodMonitor, Probe or ScrapeConfig selector. Prometheus
// Operator then creates the configuration Secret empty and never writes
// it, so users who write their own prometheus.yaml keep it on migration.
func Unmanaged(p *monitoringv1.Prometheus) bool {
	s := p.Spec
	return s.ServiceMonitorSelector == nil && s.PodMonitorSelector == nil &&
		s.ProbeSelector == nil && s.ScrapeConfigSelector == nil
}

// Generate builds prometheus.yaml. It fails only when the Prometheus
// object's own settings cannot make a valid configuration; a bad monitor is
// left out and reported in Result.Rejected.
func Generate(in Input) (Result, error) {
	if in.Prometheus == nil {
		return Result{}, errors.New("no Prometheus object")
	}
	if err := in.FileReferencePolicy.Valid(); err != nil {
		return Result{}, err
	}
	if Unmanaged(in.Prometheus) {
		return Result{Unmanaged: true}, nil
	}
	in.ServiceMonitors, in.PodMonitors = withoutNil(in.ServiceMonitors), withoutNil(in.PodMonitors)
	in.Probes, in.ScrapeConfigs = withoutNil(in.Probes), withoutNil(in.ScrapeConfigs)
	g := newGenerator(in)
	// The scrape classes' Secrets are part of what every object's jobs
	// depend on: the cache records them (see objectView).
	classStore := recording(in.Store)
	var err error
	if g.classes, err = newScrapeClasses(in.Prometheus, secrets{assets.NewResolver(classStore, in.Prometheus.Namespace, g.owner())}); err != nil {
		return Result{}, err
	}
	cfg, err := g.base()
	if err != nil {
		return Result{}, err
	}
	extra, err := g.additionalScrapeConfigs()
	if err != nil {
		return Result{}, err
	}
	ctx := buildContext{g: g, classLookups: lookupsOf(classStore)}
	res, err := assemble(cfg, ctx, g.tasks(), extraJobs{extra, g.additionalOwner()}, in.Cache)
	if err != nil {
		return Result{}, err
	}
	res.FileReferences = g.fileReferences()
	return res, nil
}

// tasks lists every selected object, in Prometheus Operator's job order:
// ServiceMonitors, PodMonitors, Probes, ScrapeConfigs, each sorted by
// namespace and name. Their jobs are built by assemble's workers.
func (g *generator) tasks() []task {
	var tasks []task
	tasks = appendTasks(tasks, "ServiceMonitor", g.in.ServiceMonitors, (*generator).serviceMonitorJobs,
		func(m *monitoringv1.ServiceMonitor) any { return &m.Spec })
	tasks = appendTasks(tasks, "PodMonitor", g.in.PodMonitors, (*generator).podMonitorJobs,
		func(m *monitoringv1.PodMonitor) any { return &m.Spec })
	tasks = appendTasks(tasks, "Probe", g.in.Probes, (*generator).probeJobs,
		func(p *monitoringv1.Probe) any { return &p.Spec })
	return appendTasks(tasks, "ScrapeConfig", g.in.ScrapeConfigs, (*generator).scrapeConfigJobs,
		func(s *monitoringv1alpha1.ScrapeConfig) any { return &s.Spec })
}

// appendTasks appends the objects of objs, sorted by namespace and name.
// An object given more than once counts once when the copies are equal,
// and is left out when they differ (see rejection.Distinct).
func appendTasks[T object](tasks []task, kind string, objs []T, build func(*generator, T) ([]*ScrapeConfig, error), spec func(T) any) []task {
	distinct := rejection.Distinct(sortedByKey(objs), func(o T, n int) {
		err := rejection.Errorf(rejection.ConflictingCopies, "the input holds %d copies of %s %s/%s that differ, and which to use cannot be decided", n, kind, o.GetNamespace(), o.GetName())
		tasks = append(tasks, task{kind: kind, namespace: o.GetNamespace(), name: o.GetName(), err: err})
	})
	for _, o := range distinct {
		tasks = append(tasks, task{
			kind: kind, namespace: o.GetNamespace(), name: o.GetName(),
			view:    viewOf(kind, o, spec(o)),
			version: versionOf(o),
			build:   func(g *generator) ([]*ScrapeConfig, error) { return build(g, o) },
		})
	}
	return tasks
}

// versionOf is o's UID and resource version, or "" when it lacks either.
func versionOf(o any) string {
	v, ok := o.(interface {
		GetUID() types.UID
		GetResourceVersion() string
	})
	if !ok || v.GetUID() == "" || v.GetResourceVersion() == "" {
		return ""
	}
	return string(v.GetUID()) + "/" + v.GetResourceVersion()
}

// additionalOwner is what a rejection reason calls the additional jobs.
func (g *generator) additionalOwner() string {
	ref := g.prom.Spec.AdditionalScrapeConfigs
	if ref == nil {
		return ""
	}
	return fmt.Sprintf("the additionalScrapeConfigs of Prometheus %s/%s (secret %s key %s)", g.prom.Namespace, g.prom.Name, ref.Name, ref.Key)
}

// withoutNil drops nil objects, which name nothing to generate.
func withoutNil[T any](objs []*T) []*T {
	if !slices.Contains(objs, nil) {
		return objs
	}
	return slices.DeleteFunc(slices.Clone(objs), func(o *T) bool { return o == nil })
}

func sortedByKey[T object](objs []T) []T {
	out := slices.Clone(objs)
	slices.SortFunc(out, func(a, b T) int {
		return cmp.Or(cmp.Compare(a.GetNamespace(), b.GetNamespace()), cmp.Compare(a.GetName(), b.GetName()))
	})
	return out
}
