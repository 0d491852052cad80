package pipeline

import (
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/promconfig"
	"github.com/vigil-monitoring/vigil/internal/rules"
	"github.com/vigil-monitoring/vigil/internal/selection"
)

// PrometheusResult is everything a reconcile of one Prometheus writes, and
// why.
type PrometheusResult struct {
	// Config is prometheus.yaml, nil when Unmanaged.
	Config []byte
	// Unmanaged says the Prometheus object sets no monitor selector: its
	// prometheus.yaml is its user's to write, as with Prometheus Operator.
	// Its rules are still generated.
	Unmanaged bool
	// RuleConfigMaps hold the rule files, at least one (empty when there
	// are none) so that the volume Prometheus mounts exists. Name, Labels
	// and Data are set; the caller sets the namespace and owner reference.
	RuleConfigMaps []corev1.ConfigMap
	// Decisions has one entry per selected ServiceMonitor, PodMonitor,
	// Probe, ScrapeConfig and PrometheusRule, sorted by kind, namespace
	// and name.
	Decisions []Decision
	// FileReferences lists every file a selected object makes Prometheus
	// use, honoured or not.
	FileReferences []promconfig.FileReference
	// References are the Secret and ConfigMap keys read, or tried.
	References []assets.Reference
}

// Prometheus selects what p selects from snap and generates. caches may be
// nil. An error means p's own settings cannot make a configuration (a
// missing additionalScrapeConfigs Secret, say): Config is then nil, and
// the rule ConfigMaps, the decisions on rules and the references read are
// still set, as a reconcile writes rules whatever the scrape configuration.
func Prometheus(p *monitoringv1.Prometheus, snap Snapshot, caches *Caches) (PrometheusResult, error) {
	sel := selection.ForPrometheus(p, snap.Namespaces)
	selectedRules := selection.Filter(sel.Rules, snap.PrometheusRules)
	ruleRes := rules.Generate(p, values(selectedRules))
	maps, err := rules.Pack(p.Name, ruleRes.Files)
	if err != nil {
		// Generate rejects a file that does not fit; only a bug gets here.
		return PrometheusResult{}, err
	}
	read := assets.Record(snap.Values)
	res := PrometheusResult{RuleConfigMaps: maps}
	res.Decisions = decide(res.Decisions, rules.KindPrometheusRule, selectedRules, ruleRes.Rejected)

	in := promconfig.Input{
		Prometheus:      p,
		ServiceMonitors: selection.Filter(sel.ServiceMonitors, snap.ServiceMonitors),
		PodMonitors:     selection.Filter(sel.PodMonitors, snap.PodMonitors),
		Probes:          selection.Filter(sel.Probes, snap.Probes),
		ScrapeConfigs:   selection.Filter(sel.ScrapeConfigs, snap.ScrapeConfigs),
		Store:           read,
		Cache:           caches.of(p.UID),

		FileReferencePolicy: snap.FileReferences,
	}
	for _, m := range maps {
		in.RuleConfigMaps = append(in.RuleConfigMaps, m.Name)
	}
	gen, err := promconfig.Generate(in)
	res.References = read.References()
	if err != nil {
		sortDecisions(res.Decisions)
		return res, err
	}
	res.Config, res.Unmanaged, res.FileReferences = gen.Config, gen.Unmanaged, gen.FileReferences
	if !gen.Unmanaged {
		res.Decisions = decide(res.Decisions, "ServiceMonitor", in.ServiceMonitors, gen.Rejected)
		res.Decisions = decide(res.Decisions, "PodMonitor", in.PodMonitors, gen.Rejected)
		res.Decisions = decide(res.Decisions, "Probe", in.Probes, gen.Rejected)
		res.Decisions = decide(res.Decisions, "ScrapeConfig", in.ScrapeConfigs, gen.Rejected)
	}
	sortDecisions(res.Decisions)
	return res, nil
}

// SelectsForPrometheus says whether p selects the object of kind
// (ServiceMonitor, PodMonitor, Probe, ScrapeConfig or PrometheusRule) in
// namespace with labels, and when not, why.
func SelectsForPrometheus(p *monitoringv1.Prometheus, namespaces selection.Namespaces, kind, namespace string, labels map[string]string) selection.Decision {
	sel := selection.ForPrometheus(p, namespaces)
	m := map[string]*selection.Matcher{
		"ServiceMonitor": sel.ServiceMonitors, "PodMonitor": sel.PodMonitors, "Probe": sel.Probes,
		"ScrapeConfig": sel.ScrapeConfigs, rules.KindPrometheusRule: sel.Rules,
	}[kind]
	if m == nil {
		return selection.Decision{Reason: "a Prometheus object does not select " + kind + " objects"}
	}
	return m.Decide(namespace, labels)
}

func values[T any](ptrs []*T) []T {
	out := make([]T, len(ptrs))
	for i, p := range ptrs {
		out[i] = *p
	}
	return out
}
