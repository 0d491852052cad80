package promconfig

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets"
)

// FileReferencePolicy says which selected objects may make Prometheus use
// files of its own container: a ServiceMonitor's bearerTokenFile and
// tlsConfig caFile, certFile and keyFile, and a ScrapeConfig's
// fileSDConfigs. ServiceMonitors' are also refused when the Prometheus
// object sets arbitraryFSAccessThroughSMs.deny. The rule is the one
// Alertmanager configuration follows (assets.FileReferencePolicy).
type FileReferencePolicy = assets.FileReferencePolicy

// The policies.
const (
	FileReferencesAll                 = assets.FileReferencesAll
	FileReferencesPrometheusNamespace = assets.FileReferencesOwnerNamespace
	FileReferencesNone                = assets.FileReferencesNone
)

// FileReference is one file an object makes Prometheus use. Every use by
// a selected object is reported, whether the policy honours it or not, so
// that an administrator sees which targets receive Prometheus's
// credentials.
type FileReference struct {
	Kind, Namespace, Name string
	// Field is where the object names the file, such as
	// endpoints[0].bearerTokenFile.
	Field string
	Path  string
	// Refused is why the policy does not honour it, or "" when it does.
	// An object with a refused reference is left out of the configuration.
	Refused string
}

// Effect says what Prometheus does with the file.
func (r FileReference) Effect() string {
	switch {
	case strings.HasSuffix(r.Field, "bearerTokenFile"):
		return "Prometheus sends the content of its own file as the bearer token to this object's targets"
	case strings.HasSuffix(r.Field, "certFile"), strings.HasSuffix(r.Field, "keyFile"):
		return "Prometheus presents its own client certificate to this object's targets"
	case strings.HasSuffix(r.Field, "caFile"):
		return "Prometheus verifies this object's targets with its own CA file"
	}
	return "Prometheus reads its own file to find this object's targets"
}

// Notice says, in a sentence for an administrator, which file the object
// names and what Prometheus does with it, or that it is refused.
func (r FileReference) Notice() string {
	s := fmt.Sprintf("uses file reference %s=%s: %s", r.Field, r.Path, r.Effect())
	if r.Refused != "" {
		s += " (refused: " + r.Refused + ")"
	}
	return s
}

func (r FileReference) String() string {
	return fmt.Sprintf("%s %s/%s: %s", r.Kind, r.Namespace, r.Name, r.Notice())
}

// fileUse is a file an object names, before the policy is applied.
type fileUse struct{ field, path string }

// fileReference is u as reported; pos is u's place in its object, so that
// endpoints[10] sorts after endpoints[2].
type fileReference struct {
	FileReference
	pos int
}

func serviceMonitorFiles(m *monitoringv1.ServiceMonitor) []fileUse {
	var out []fileUse
	for i := range m.Spec.Endpoints {
		out = append(out, endpointFiles(fmt.Sprintf("endpoints[%d].", i), &m.Spec.Endpoints[i])...)
	}
	return out
}

// endpointFiles lists the files one endpoint names, prefixed by field, in
// the order Prometheus Operator checks them.
func endpointFiles(field string, ep *monitoringv1.Endpoint) []fileUse {
	var out []fileUse
	if ep.BearerTokenFile != "" {
		out = append(out, fileUse{field + "bearerTokenFile", ep.BearerTokenFile})
	}
	if t := ep.TLSConfig; t != nil {
		for _, f := range []fileUse{{"caFile", t.CAFile}, {"certFile", t.CertFile}, {"keyFile", t.KeyFile}} {
			if f.path != "" {
				out = append(out, fileUse{field + "tlsConfig." + f.field, f.path})
			}
		}
	}
	return out
}

func scrapeConfigFiles(sc *monitoringv1alpha1.ScrapeConfig) []fileUse {
	var out []fileUse
	for i, c := range sc.Spec.FileSDConfigs {
		for j, f := range c.Files {
			out = append(out, fileUse{fmt.Sprintf("fileSDConfigs[%d].files[%d]", i, j), string(f)})
		}
	}
	return out
}

// fileAccess says why an object of kind in namespace may not make
// Prometheus use its files, or nil when it may.
func (g *generator) fileAccess(kind, namespace string) error {
	if kind == "ServiceMonitor" && g.prom.Spec.ArbitraryFSAccessThroughSMs.Deny {
		return fmt.Errorf("%w: the Prometheus object sets arbitraryFSAccessThroughSMs.deny", assets.ErrFileReference)
	}
	o := g.owner()
	return o.Files.Allows(namespace, o.Kind, o.Namespace)
}

// checkFiles refuses the first of uses the policy does not honour.
func (g *generator) checkFiles(kind, namespace string, uses []fileUse) error {
	if len(uses) == 0 {
		return nil
	}
	if err := g.fileAccess(kind, namespace); err != nil {
		return fmt.Errorf("%s: %w", uses[0].field, err)
	}
	return nil
}

// fileReferences lists every file the selected objects name, sorted.
func (g *generator) fileReferences() []FileReference {
	var refs []fileReference
	add := func(kind, namespace, name string, uses []fileUse) {
		var refused string
		if len(uses) > 0 {
			if err := g.fileAccess(kind, namespace); err != nil {
				refused = err.Error()
			}
		}
		for i, u := range uses {
			refs = append(refs, fileReference{FileReference{Kind: kind, Namespace: namespace, Name: name, Field: u.field, Path: u.path, Refused: refused}, i})
		}
	}
	for _, m := range g.in.ServiceMonitors {
		add("ServiceMonitor", m.Namespace, m.Name, serviceMonitorFiles(m))
	}
	for _, s := range g.in.ScrapeConfigs {
		add("ScrapeConfig", s.Namespace, s.Name, scrapeConfigFiles(s))
	}
	slices.SortFunc(refs, func(a, b fileReference) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.pos, b.pos), cmp.Compare(a.Field, b.Field), cmp.Compare(a.Path, b.Path))
	})
	var out []FileReference
	for _, r := range slices.Compact(refs) {
		out = append(out, r.FileReference)
	}
	return out
}
