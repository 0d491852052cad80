package promconfig

import (
	"fmt"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// serviceMonitorJobs makes one job per endpoint of a ServiceMonitor, named
// serviceMonitor/<namespace>/<name>/<index>.
func (g *generator) serviceMonitorJobs(m *monitoringv1.ServiceMonitor) ([]*ScrapeConfig, error) {
	class, err := g.classes.of(m.Spec.ScrapeClassName)
	if err != nil {
		return nil, err
	}
	// The selector is every endpoint's; checked once, blamed on the first.
	if len(m.Spec.Endpoints) > 0 {
		if err := checkSelector("selector", m.Spec.Selector); err != nil {
			return nil, fmt.Errorf("endpoints[0]: %w", err)
		}
	}
	return perEndpoint("endpoints", len(m.Spec.Endpoints), func(i int) (*ScrapeConfig, error) { return g.serviceMonitorJob(m, i, class) })
}

func (g *generator) serviceMonitorJob(m *monitoringv1.ServiceMonitor, i int, class scrapeClass) (*ScrapeConfig, error) {
	ep := &m.Spec.Endpoints[i]
	role := g.serviceDiscoveryRole(m.Spec.ServiceDiscoveryRole)
	s := g.secretsFor("ServiceMonitor", m.Namespace, m.Name)
	if err := g.checkFiles("ServiceMonitor", m.Namespace, endpointFiles("", ep)); err != nil {
		return nil, err
	}

	sd := &KubernetesSD{Role: role, Namespaces: g.namespaces(m.Namespace, m.Spec.NamespaceSelector), AttachMetadata: attachMetadata(class.attachMetadata(m.Spec.AttachMetadata))}
	j, err := endpointJob(fmt.Sprintf("serviceMonitor/%s/%s/%d", m.Namespace, m.Name, i), sd, endpoint{
		ep.HonorLabels, ep.HonorTimestamps, ep.TrackTimestampsStaleness, ep.Interval, ep.ScrapeTimeout,
		ep.Path, ep.Params, ep.Scheme, ep.HTTPClientConfig,
	}, m.Spec.ScrapeProtocols, class.fallbackScrapeProtocol(m.Spec.FallbackScrapeProtocol), s)
	if err != nil {
		return nil, err
	}
	own, err := s.resolveTLSWithFiles("tlsConfig", ep.TLSConfig)
	if err != nil {
		return nil, err
	}
	if j.TLSConfig, err = class.checkedTLS("tlsConfig", own, ownTLS(ep.TLSConfig)); err != nil {
		return nil, err
	}
	j.BearerTokenFile = ep.BearerTokenFile
	if err := class.authorization(ep.Authorization, named(ep.BearerTokenSecret), &j.HTTPClient); err != nil {
		return nil, err
	}

	// Kubernetes discovery selects both the endpoints and their Service
	// (pkg/prometheus/promcfg.go:1980).
	roleSelection := byRole(m.Spec.SelectorMechanism)
	if roleSelection {
		if sd.Selectors, err = roleSelectors(m.Spec.Selector, role, "service"); err != nil {
			return nil, err
		}
	}
	j.RelabelConfigs = g.serviceMonitorRelabeling(m, ep, role, !roleSelection, class)
	enforced := g.enforcedNamespaceLabel("servicemonitors", m.Namespace, m.Name)
	j.MetricRelabelConfigs = class.metricRelabelings(userRules(ep.MetricRelabelConfigs, enforced, m.Namespace))
	if j.Limits, err = g.limits(m.Spec.ScrapeLimits, m.Spec.BodySizeLimit, m.Spec.NativeHistogramConfig); err != nil {
		return nil, err
	}
	return j, nil
}

// serviceMonitorRelabeling gives targets Prometheus Operator's labels:
// namespace, service, pod, container, job and endpoint, with its rules in
// its order (pkg/prometheus/promcfg.go:2041-2214), then the scrape class's
// rules and the endpoint's own. A targetPort of 0 still sets
// endpoint="0", as there.
func (g *generator) serviceMonitorRelabeling(m *monitoringv1.ServiceMonitor, ep *monitoringv1.Endpoint, role string, filterBySelector bool, class scrapeClass) []*RelabelConfig {
	meta := "__meta_kubernetes_endpoint"
	if role == "endpointslice" {
		meta = "__meta_kubernetes_endpointslice"
	}
	rules := []*RelabelConfig{jobNameRule()}
	if filterBySelector {
		rules = append(rules, selectorRules("__meta_kubernetes_service", m.Spec.Selector)...)
	}

	switch {
	case ep.Port != "":
		rules = append(rules, keep(meta+"_port_name", ep.Port))
	case ep.TargetPort != nil && ep.TargetPort.StrVal != "":
		rules = append(rules, keep("__meta_kubernetes_pod_container_port_name", ep.TargetPort.StrVal))
	case ep.TargetPort != nil && ep.TargetPort.IntVal != 0:
		rules = append(rules, keep("__meta_kubernetes_pod_container_port_number", ep.TargetPort.String()))
	}

	// The endpoint's target (a Pod or a Node) names the pod or node label.
	for _, kind := range []struct{ kind, label string }{{"Node", "node"}, {"Pod", "pod"}} {
		rules = append(rules, &RelabelConfig{
			SourceLabels: []string{meta + "_address_target_kind", meta + "_address_target_name"},
			Separator:    ptr(";"),
			Regex:        kind.kind + ";(.*)",
			Replacement:  ptr("${1}"),
			TargetLabel:  kind.label,
		})
	}
	rules = append(rules,
		copyLabel("__meta_kubernetes_namespace", "namespace"),
		copyLabel("__meta_kubernetes_service_name", "service"),
		copyLabel("__meta_kubernetes_pod_name", "pod"),
		copyLabel("__meta_kubernetes_pod_container_name", "container"),
	)
	if ep.FilterRunning == nil || *ep.FilterRunning {
		rules = append(rules, runningFilter())
	}
	for _, l := range m.Spec.TargetLabels {
		rules = append(rules, copyLabelIfSet("__meta_kubernetes_service_label_"+sanitize(l), sanitize(l)))
	}
	for _, l := range m.Spec.PodTargetLabels {
		rules = append(rules, copyLabelIfSet("__meta_kubernetes_pod_label_"+sanitize(l), sanitize(l)))
	}

	// job is the Service's name, or the value of its jobLabel label.
	rules = append(rules, &RelabelConfig{SourceLabels: []string{"__meta_kubernetes_service_name"}, TargetLabel: "job", Replacement: ptr("${1}")})
	if m.Spec.JobLabel != "" {
		rules = append(rules, copyLabelIfSet("__meta_kubernetes_service_label_"+sanitize(m.Spec.JobLabel), "job"))
	}
	switch {
	case ep.Port != "":
		rules = append(rules, &RelabelConfig{TargetLabel: "endpoint", Replacement: ptr(ep.Port)})
	case ep.TargetPort != nil && ep.TargetPort.String() != "":
		rules = append(rules, &RelabelConfig{TargetLabel: "endpoint", Replacement: ptr(ep.TargetPort.String())})
	}

	rules = append(rules, class.relabelings()...)
	enforced := g.enforcedNamespaceLabel("servicemonitors", m.Namespace, m.Name)
	rules = append(rules, userRules(ep.RelabelConfigs, enforced, m.Namespace)...)
	return append(rules, shardingRules(g.shards, "__address__")...)
}

// perEndpoint makes one job per endpoint; an error names the endpoint.
func perEndpoint(field string, n int, job func(i int) (*ScrapeConfig, error)) ([]*ScrapeConfig, error) {
	jobs := make([]*ScrapeConfig, 0, n)
	for i := range n {
		j, err := job(i)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", field, i, err)
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

func attachMetadata(a *monitoringv1.AttachMetadata) *AttachMetadata {
	if a == nil || a.Node == nil || !*a.Node {
		return nil
	}
	return &AttachMetadata{Node: true}
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}
