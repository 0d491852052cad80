package main

import (
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/fields"
)

func TestFlags(t *testing.T) {
	g := NewWithT(t)
	c, err := parse([]string{"--namespaces=a,b", "--namespaces", "c", "--file-references=none", "--leader-elect"})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect([]string(c.namespaces)).To(Equal([]string{"a", "b", "c"}))
	g.Expect(c.fileReferences.String()).To(Equal("none"))
	g.Expect(cacheOptions(c).DefaultNamespaces).To(HaveLen(3))

	c, err = parse([]string{"--deny-namespaces=kube-system,kube-public"})
	g.Expect(err).NotTo(HaveOccurred())
	sel := cacheOptions(c).DefaultFieldSelector
	g.Expect(sel.Matches(fields.Set{"metadata.namespace": "apps"})).To(BeTrue())
	g.Expect(sel.Matches(fields.Set{"metadata.namespace": "kube-system"})).To(BeFalse())
	g.Expect(sel.Matches(fields.Set{"metadata.namespace": ""})).To(BeTrue(), "cluster-scoped objects (Namespaces) stay")

	for _, bad := range [][]string{
		{"--namespaces=a", "--deny-namespaces=b"},
		{"--file-references=some"},
		{"--no-such-flag"},
	} {
		_, err := parse(bad)
		g.Expect(err).To(HaveOccurred(), "%v", bad)
	}
}
