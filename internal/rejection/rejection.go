// Package rejection is the shared shape of "this object was left out of the
// generated configuration, and why", which the generators return and the
// controllers and vigilctl turn into status conditions, Events and lines on
// stderr.
package rejection

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
)

// Rejection is an object left out of a generated configuration.
type Rejection struct {
	Kind      string
	Namespace string
	Name      string
	Reason    string
}

func (r Rejection) String() string {
	return fmt.Sprintf("%s %s/%s: %s", r.Kind, r.Namespace, r.Name, r.Reason)
}

// Sort orders rejections by kind, namespace, name and reason, so output and
// status do not depend on the order objects were listed in.
func Sort(rs []Rejection) {
	slices.SortFunc(rs, func(a, b Rejection) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Namespace, b.Namespace),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.Reason, b.Reason))
	})
}

// Keyed is an object named by its namespace and name.
type Keyed interface {
	GetNamespace() string
	GetName() string
}

// Distinct keeps one of each object of sorted, a list in which the copies
// of one object (same namespace and name) are next to each other. A
// cluster holds one of each, but manifests may repeat an object, or name
// one folder twice: equal copies count once. Copies that differ are all
// left out, as which to use could not be decided without depending on the
// order of the input; differ is called with the first and the number of
// copies, for the caller to say so.
func Distinct[T Keyed](sorted []T, differ func(first T, copies int)) []T {
	out := make([]T, 0, len(sorted))
	for i := 0; i < len(sorted); {
		first := sorted[i]
		n := 1
		for i+n < len(sorted) && sorted[i+n].GetNamespace() == first.GetNamespace() && sorted[i+n].GetName() == first.GetName() {
			n++
		}
		repeats := sorted[i+1 : i+n]
		i += n
		if slices.ContainsFunc(repeats, func(c T) bool { return !reflect.DeepEqual(c, first) }) {
			differ(first, n)
			continue
		}
		out = append(out, first)
	}
	return out
}
