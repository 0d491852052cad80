package pipeline

import (
	"cmp"
	"slices"

	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// Accepted is the reason of an accepted object's Decision.
const Accepted rejection.Reason = "Accepted"

// Decision is what an owner made of one object it selects.
type Decision struct {
	Kind, Namespace, Name string
	// Reason is Accepted, or why the object was left out (a CamelCase
	// word for a condition's and an Event's reason).
	Reason rejection.Reason
	// Err says why the object was left out, with the errors it wraps; nil
	// when accepted.
	Err error
}

// Accepted says whether the object is in the configuration.
func (d Decision) Accepted() bool { return d.Reason == Accepted }

// Message is the error's message, "" when accepted.
func (d Decision) Message() string {
	if d.Err == nil {
		return ""
	}
	return d.Err.Error()
}

// keyed is a selected object.
type keyed interface {
	GetNamespace() string
	GetName() string
}

// decide gives each of the selected objects of kind its decision: the
// rejection of it, if any, else Accepted. An object listed twice gets one.
func decide[T keyed](out []Decision, kind string, selected []T, rejected []rejection.Rejection) []Decision {
	why := map[[2]string]rejection.Rejection{}
	for _, r := range rejected {
		if r.Kind == kind {
			why[[2]string{r.Namespace, r.Name}] = r
		}
	}
	seen := map[[2]string]bool{}
	for _, o := range selected {
		k := [2]string{o.GetNamespace(), o.GetName()}
		if seen[k] {
			continue
		}
		seen[k] = true
		d := Decision{Kind: kind, Namespace: k[0], Name: k[1], Reason: Accepted}
		if r, ok := why[k]; ok {
			d.Reason, d.Err = r.Reason, r.Err
		}
		out = append(out, d)
	}
	return out
}

// sortDecisions orders decisions by kind, namespace and name.
func sortDecisions(ds []Decision) {
	slices.SortFunc(ds, func(a, b Decision) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
}

// Find is the decision about kind namespace/name, and whether there is one
// (there is none when the owner does not select the object).
func Find(ds []Decision, kind, namespace, name string) (Decision, bool) {
	i, ok := slices.BinarySearchFunc(ds, Decision{Kind: kind, Namespace: namespace, Name: name}, func(a, b Decision) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
	if !ok {
		return Decision{}, false
	}
	return ds[i], true
}
