package selection

import (
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestInvalidSelectorReasonIsStable: a selector with several bad
// matchLabels keys gives the same reason every time, naming the first
// key in sorted order; a valid one means what LabelSelectorAsSelector
// says.
func TestInvalidSelectorReasonIsStable(t *testing.T) {
	g := NewWithT(t)
	bad := &metav1.LabelSelector{MatchLabels: map[string]string{"c c": "1", "a a": "2", "b b": "3", "ok": "4"}}
	m := Compile(Selector{OwnerNamespace: "monitoring", Resource: bad, Namespace: bad}, namespaces)
	first := m.Decide("monitoring", nil)
	g.Expect(first.Selected).To(BeFalse())
	g.Expect(first.Reason).To(And(HavePrefix("invalid namespace selector: "), ContainSubstring(`"a a"`)))
	for range 30 {
		g.Expect(Compile(Selector{OwnerNamespace: "monitoring", Resource: bad, Namespace: bad}, namespaces).Decide("monitoring", nil)).To(Equal(first))
		_, err := AsSelector(bad)
		g.Expect(err).To(MatchError(ContainSubstring(`"a a"`)))
	}

	for _, sel := range []*metav1.LabelSelector{nil, {}, {MatchLabels: map[string]string{"a": "b"},
		MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "c", Operator: metav1.LabelSelectorOpExists}}}} {
		want, err := metav1.LabelSelectorAsSelector(sel)
		g.Expect(err).NotTo(HaveOccurred())
		got, err := AsSelector(sel)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(got.String()).To(Equal(want.String()))
		g.Expect(got.Empty()).To(Equal(want.Empty()))
	}
}
