package promconfig

import (
	"fmt"
	"strconv"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// podMonitorJobs makes one job per endpoint of a PodMonitor, named
// podMonitor/<namespace>/<name>/<index>.
func (g *generator) podMonitorJobs(m *monitoringv1.PodMonitor) ([]*ScrapeConfig, error) {
	class, err := g.classes.of(m.Spec.ScrapeClassName)
	if err != nil {
		return nil, err
	}
	// The selector is every endpoint's; checked once, blamed on the first.
	if len(m.Spec.PodMetricsEndpoints) > 0 {
		if err := checkSelector("selector", m.Spec.Selector); err != nil {
			return nil, fmt.Errorf("podMetricsEndpoints[0]: %w", err)
		}
	}
	return perEndpoint("podMetricsEndpoints", len(m.Spec.PodMetricsEndpoints), func(i int) (*ScrapeConfig, error) { return g.podMonitorJob(m, i, class) })
}

func (g *generator) podMonitorJob(m *monitoringv1.PodMonitor, i int, class scrapeClass) (*ScrapeConfig, error) {
	ep := &m.Spec.PodMetricsEndpoints[i]
	s := g.secretsFor("PodMonitor", m.Namespace, m.Name)
	sd := &KubernetesSD{Role: "pod", Namespaces: g.namespaces(m.Namespace, m.Spec.NamespaceSelector), AttachMetadata: attachMetadata(class.attachMetadata(m.Spec.AttachMetadata))}
	j, err := endpointJob(fmt.Sprintf("podMonitor/%s/%s/%d", m.Namespace, m.Name, i), sd, endpoint{
		ep.HonorLabels, ep.HonorTimestamps, ep.TrackTimestampsStaleness, ep.Interval, ep.ScrapeTimeout,
		ep.Path, ep.Params, ep.Scheme, ep.HTTPClientConfig,
	}, m.Spec.ScrapeProtocols, class.fallbackScrapeProtocol(m.Spec.FallbackScrapeProtocol), s)
	if err != nil {
		return nil, err
	}
	own, err := s.resolveTLS("tlsConfig", ep.TLSConfig)
	if err != nil {
		return nil, err
	}
	if j.TLSConfig, err = class.checkedTLS("tlsConfig", own, ownSafeTLS(ep.TLSConfig)); err != nil {
		return nil, err
	}
	if err := class.authorization(ep.Authorization, named(ep.BearerTokenSecret), &j.HTTPClient); err != nil {
		return nil, err
	}
	roleSelection := byRole(m.Spec.SelectorMechanism)
	if roleSelection {
		if sd.Selectors, err = roleSelectors(m.Spec.Selector, "pod"); err != nil {
			return nil, err
		}
	}
	j.RelabelConfigs = g.podMonitorRelabeling(m, ep, !roleSelection, class)
	enforced := g.enforcedNamespaceLabel("podmonitors", m.Namespace, m.Name)
	j.MetricRelabelConfigs = class.metricRelabelings(userRules(ep.MetricRelabelConfigs, enforced, m.Namespace))
	if j.Limits, err = g.limits(m.Spec.ScrapeLimits, m.Spec.BodySizeLimit, m.Spec.NativeHistogramConfig); err != nil {
		return nil, err
	}
	return j, nil
}

// podMonitorRelabeling gives targets Prometheus Operator's labels, with its
// rules in its order (pkg/prometheus/promcfg.go:1519-1666): the running-pod
// filter comes first, before the selector and port filters.
func (g *generator) podMonitorRelabeling(m *monitoringv1.PodMonitor, ep *monitoringv1.PodMetricsEndpoint, filterBySelector bool, class scrapeClass) []*RelabelConfig {
	rules := []*RelabelConfig{jobNameRule()}
	if ep.FilterRunning == nil || *ep.FilterRunning {
		rules = append(rules, runningFilter())
	}
	if filterBySelector {
		rules = append(rules, selectorRules("__meta_kubernetes_pod", m.Spec.Selector)...)
	}
	if k := podMetricsPortFilter(ep); k != nil {
		rules = append(rules, k)
	}
	rules = append(rules,
		copyLabel("__meta_kubernetes_namespace", "namespace"),
		copyLabel("__meta_kubernetes_pod_container_name", "container"),
		copyLabel("__meta_kubernetes_pod_name", "pod"),
	)
	for _, l := range m.Spec.PodTargetLabels {
		rules = append(rules, copyLabelIfSet("__meta_kubernetes_pod_label_"+sanitize(l), sanitize(l)))
	}
	// job is <namespace>/<name> of the PodMonitor, or the value of the pod's
	// jobLabel label.
	rules = append(rules, &RelabelConfig{TargetLabel: "job", Replacement: ptr(m.Namespace + "/" + m.Name)})
	if m.Spec.JobLabel != "" {
		rules = append(rules, copyLabelIfSet("__meta_kubernetes_pod_label_"+sanitize(m.Spec.JobLabel), "job"))
	}
	if e, ok := podMetricsEndpointLabel(ep); ok {
		rules = append(rules, &RelabelConfig{TargetLabel: "endpoint", Replacement: ptr(e)})
	}
	rules = append(rules, class.relabelings()...)
	enforced := g.enforcedNamespaceLabel("podmonitors", m.Namespace, m.Name)
	rules = append(rules, userRules(ep.RelabelConfigs, enforced, m.Namespace)...)
	return append(rules, shardingRules(g.shards, "__address__")...)
}

// podMetricsPortFilter keeps the container port the endpoint names: port,
// else portNumber, else the deprecated targetPort (by name or number).
func podMetricsPortFilter(ep *monitoringv1.PodMetricsEndpoint) *RelabelConfig {
	switch {
	case ep.Port != nil && *ep.Port != "":
		return keep("__meta_kubernetes_pod_container_port_name", *ep.Port)
	case ep.PortNumber != nil && *ep.PortNumber != 0:
		return keep("__meta_kubernetes_pod_container_port_number", strconv.Itoa(int(*ep.PortNumber)))
	case ep.TargetPort != nil && ep.TargetPort.StrVal != "":
		return keep("__meta_kubernetes_pod_container_port_name", ep.TargetPort.StrVal)
	case ep.TargetPort != nil && ep.TargetPort.IntVal != 0:
		return keep("__meta_kubernetes_pod_container_port_number", ep.TargetPort.String())
	}
	return nil
}

// podMetricsEndpointLabel is the value of the endpoint label: the port's
// name, else targetPort as written (a targetPort of 0 included). A
// portNumber sets no endpoint label, as in Prometheus Operator
// (pkg/prometheus/promcfg.go:1645-1655), so dashboards keyed on it see the
// same series.
func podMetricsEndpointLabel(ep *monitoringv1.PodMetricsEndpoint) (string, bool) {
	switch {
	case ep.Port != nil && *ep.Port != "":
		return *ep.Port, true
	case ep.TargetPort != nil && ep.TargetPort.String() != "":
		return ep.TargetPort.String(), true
	}
	return "", false
}
