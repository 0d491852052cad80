package promconfig

import (
	"strings"
	"sync"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/assets"
)

// generator carries the Prometheus-wide settings every job needs.
type generator struct {
	in     Input
	prom   *monitoringv1.Prometheus
	shards int32
	// classes are spec.scrapeClasses, set by Generate.
	classes scrapeClasses

	// resolvers hold each object's resolver, shared by the copies of the
	// generator the workers build objects with (see buildPart).
	resolvers *resolvers
}

// resolvers are the objects' resolvers, by kind/namespace/name, so that a
// message about an object can be redacted of every Secret value read for
// it.
type resolvers struct {
	mu       sync.Mutex
	byObject map[string]*assets.Resolver
}

func newGenerator(in Input) *generator {
	if in.Store != nil {
		// Objects are built on several goroutines (see buildParts).
		in.Store = &lockedStore{store: in.Store}
	}
	g := &generator{in: in, prom: in.Prometheus, shards: 1, resolvers: &resolvers{byObject: map[string]*assets.Resolver{}}}
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

// owner is the Prometheus object as the owner of what its objects refer to.
func (g *generator) owner() assets.Owner {
	return assets.Owner{Kind: "Prometheus", Namespace: g.prom.Namespace, Files: g.in.FileReferencePolicy}
}

// secretsFor resolves the references of the object kind namespace/name,
// in its namespace.
func (g *generator) secretsFor(kind, namespace, name string) secrets {
	key := kind + "/" + namespace + "/" + name
	g.resolvers.mu.Lock()
	defer g.resolvers.mu.Unlock()
	r, ok := g.resolvers.byObject[key]
	if !ok {
		r = assets.NewResolver(g.in.Store, namespace, g.owner())
		g.resolvers.byObject[key] = r
	}
	return secrets{r}
}

// secretsRead are the Secret values read for the object.
func (g *generator) secretsRead(kind, namespace, name string) []string {
	g.resolvers.mu.Lock()
	defer g.resolvers.mu.Unlock()
	if r, ok := g.resolvers.byObject[kind+"/"+namespace+"/"+name]; ok {
		return r.Secrets()
	}
	return nil
}
