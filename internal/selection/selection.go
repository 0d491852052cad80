package selection

import (
	"fmt"
	"sort"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// Namespaces maps each namespace's name to its labels.
type Namespaces map[string]map[string]string

// Selector is what an owner (a Prometheus or an Alertmanager) selects one
// kind of object with.
type Selector struct {
	// OwnerNamespace is the owner's namespace.
	OwnerNamespace string
	// Resource selects objects by their labels; nil selects none.
	Resource *metav1.LabelSelector
	// Namespace selects the namespaces objects are taken from; nil means
	// OwnerNamespace only.
	Namespace *metav1.LabelSelector
}

// Decision says whether one object is selected and, when not, why.
type Decision struct {
	Selected bool
	// Reason is a sentence for status and `vigilctl explain` when the
	// object is not selected.
	Reason string
}

// Matcher is a Selector compiled once for many objects.
type Matcher struct {
	sel        Selector
	resource   labels.Selector
	namespace  labels.Selector
	namespaces Namespaces
	err        error
}

// Compile turns sel into a Matcher. An invalid selector (a bad operator or
// label value) selects nothing, and every Decision carries its error.
func Compile(sel Selector, namespaces Namespaces) *Matcher {
	m := &Matcher{sel: sel, namespaces: namespaces}
	if sel.Resource != nil {
		s, err := AsSelector(sel.Resource)
		if err != nil {
			m.err = fmt.Errorf("invalid label selector: %w", err)
		}
		m.resource = s
	}
	if sel.Namespace != nil {
		s, err := AsSelector(sel.Namespace)
		if err != nil {
			m.err = fmt.Errorf("invalid namespace selector: %w", err)
		}
		m.namespace = s
	}
	return m
}

// Decide says whether the object with this namespace and labels is selected.
func (m *Matcher) Decide(namespace string, objLabels map[string]string) Decision {
	switch {
	case m.err != nil:
		return Decision{Reason: m.err.Error()}
	case m.sel.Resource == nil:
		return Decision{Reason: "the selector is not set, which selects nothing"}
	case !m.NamespaceSelected(namespace):
		return Decision{Reason: m.namespaceReason(namespace)}
	case !m.resource.Matches(labels.Set(objLabels)):
		return Decision{Reason: fmt.Sprintf("labels do not match the selector %s", describe(m.resource))}
	}
	return Decision{Selected: true}
}

// NamespaceSelected says whether objects in namespace may be selected.
func (m *Matcher) NamespaceSelected(namespace string) bool {
	if m.namespace == nil {
		return namespace == m.sel.OwnerNamespace
	}
	nsLabels, ok := m.namespaces[namespace]
	return ok && m.namespace.Matches(labels.Set(nsLabels))
}

// SelectedNamespaces lists, sorted, the known namespaces objects are taken
// from.
func (m *Matcher) SelectedNamespaces() []string {
	var out []string
	for ns := range m.namespaces {
		if m.NamespaceSelected(ns) {
			out = append(out, ns)
		}
	}
	sort.Strings(out)
	return out
}

func (m *Matcher) namespaceReason(namespace string) string {
	if m.namespace == nil {
		return fmt.Sprintf("namespace %q is not %q, and the namespace selector is not set, which means the owner's namespace only", namespace, m.sel.OwnerNamespace)
	}
	if _, ok := m.namespaces[namespace]; !ok {
		return fmt.Sprintf("namespace %q does not exist", namespace)
	}
	return fmt.Sprintf("namespace %q does not match the namespace selector %s", namespace, describe(m.namespace))
}

func describe(s labels.Selector) string {
	if s.Empty() {
		return "{}"
	}
	return fmt.Sprintf("%q", s.String())
}
