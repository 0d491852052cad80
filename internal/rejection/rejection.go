// Package rejection is the shared shape of "this object was left out of the
// generated configuration, and why", which the generators return and the
// controllers and vigilctl turn into status conditions, Events and lines on
// stderr.
package rejection

import (
	"cmp"
	"fmt"
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
