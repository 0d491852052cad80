package selection

import (
	"maps"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
)

// AsSelector is metav1.LabelSelectorAsSelector with an error that does not
// change from call to call: that function checks matchLabels in map order,
// so with two bad keys it names either, and a status built from it would
// flip between reconciles. matchLabels are checked here in sorted order
// first.
func AsSelector(sel *metav1.LabelSelector) (labels.Selector, error) {
	if sel != nil {
		for _, k := range slices.Sorted(maps.Keys(sel.MatchLabels)) {
			if _, err := labels.NewRequirement(k, selection.Equals, []string{sel.MatchLabels[k]}); err != nil {
				return nil, err
			}
		}
	}
	return metav1.LabelSelectorAsSelector(sel)
}
