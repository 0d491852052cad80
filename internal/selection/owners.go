package selection

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// Prometheus holds the compiled selectors of one Prometheus object, one per
// kind it selects.
type Prometheus struct {
	ServiceMonitors, PodMonitors, Probes, ScrapeConfigs, Rules *Matcher
}

// ForPrometheus compiles p's selectors. ignoreNamespaceSelectors plays no
// part here: it limits where a selected monitor discovers its targets (see
// package promconfig), not which monitors, probes, scrape configs or rules
// the namespace selectors take.
func ForPrometheus(p *monitoringv1.Prometheus, namespaces Namespaces) *Prometheus {
	s := &p.Spec
	compile := func(resource, namespace *metav1.LabelSelector) *Matcher {
		return Compile(Selector{OwnerNamespace: p.Namespace, Resource: resource, Namespace: namespace}, namespaces)
	}
	return &Prometheus{
		ServiceMonitors: compile(s.ServiceMonitorSelector, s.ServiceMonitorNamespaceSelector),
		PodMonitors:     compile(s.PodMonitorSelector, s.PodMonitorNamespaceSelector),
		Probes:          compile(s.ProbeSelector, s.ProbeNamespaceSelector),
		ScrapeConfigs:   compile(s.ScrapeConfigSelector, s.ScrapeConfigNamespaceSelector),
		Rules:           compile(s.RuleSelector, s.RuleNamespaceSelector),
	}
}

// Filter returns the objects m selects, in their order.
func Filter[T client.Object](m *Matcher, objs []T) []T {
	var out []T
	for _, o := range objs {
		if m.Decide(o.GetNamespace(), o.GetLabels()).Selected {
			out = append(out, o)
		}
	}
	return out
}

// ForAlertmanager compiles the selector of the AlertmanagerConfigs am
// takes.
func ForAlertmanager(am *monitoringv1.Alertmanager, namespaces Namespaces) *Matcher {
	return Compile(Selector{
		OwnerNamespace: am.Namespace,
		Resource:       am.Spec.AlertmanagerConfigSelector,
		Namespace:      am.Spec.AlertmanagerConfigNamespaceSelector,
	}, namespaces)
}
