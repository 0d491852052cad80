package promconfig

import (
	"strings"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// generator carries the Prometheus-wide settings every job needs.
type generator struct {
	in     Input
	prom   *monitoringv1.Prometheus
	shards int32
	// classes are spec.scrapeClasses, set by Generate.
	classes scrapeClasses
}

func newGenerator(in Input) *generator {
	if in.Store != nil {
		// Objects are built on several goroutines (see buildParts).
		in.Store = &lockedStore{store: in.Store}
	}
	g := &generator{in: in, prom: in.Prometheus, shards: 1}
	if s := in.Prometheus.Spec.Shards; s != nil && *s > 1 {
		g.shards = *s
	}
	return g
}

// serviceDiscoveryRole is the role that finds a Service's endpoints: the
// monitor's choice, else the Prometheus object's, else Endpoints as
// Prometheus Operator defaults to.
func (g *generator) serviceDiscoveryRole(monitorRole *monitoringv1.ServiceDiscoveryRole) string {
	role := monitoringv1.EndpointsRole
	if r := g.prom.Spec.ServiceDiscoveryRole; r != nil {
		role = *r
	}
	if monitorRole != nil {
		role = *monitorRole
	}
	if role == monitoringv1.EndpointSliceRole {
		return "endpointslice"
	}
	return "endpoints"
}

// namespaces lists the namespaces a monitor discovers targets in; nil means
// all.
func (g *generator) namespaces(ownNamespace string, sel monitoringv1.NamespaceSelector) *KubernetesSDNames {
	switch {
	case g.prom.Spec.IgnoreNamespaceSelectors:
		return &KubernetesSDNames{Names: []string{ownNamespace}}
	case sel.Any:
		return nil
	case len(sel.MatchNames) > 0:
		return &KubernetesSDNames{Names: sel.MatchNames}
	}
	return &KubernetesSDNames{Names: []string{ownNamespace}}
}

// enforcedNamespaceLabel is the label that carries the object's namespace
// on every series, or "" when the object is exempt or none is enforced.
func (g *generator) enforcedNamespaceLabel(resource, namespace, name string) string {
	label := g.prom.Spec.EnforcedNamespaceLabel
	if label == "" {
		return ""
	}
	for _, ref := range g.prom.Spec.ExcludedFromEnforcement {
		if ref.Resource == resource && ref.Namespace == namespace && (ref.Name == "" || ref.Name == name) {
			return ""
		}
	}
	return label
}

func lower[T ~string](s *T) string {
	if s == nil {
		return ""
	}
	return strings.ToLower(string(*s))
}
