package benchinput

import (
	"fmt"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/vigil-monitoring/vigil/internal/inventory"
)

// TestManifestLoads: every document decodes strictly, and the manifest
// holds what the package says.
func TestManifestLoads(t *testing.T) {
	g := NewWithT(t)
	path, err := Write(t.TempDir(), 120)
	g.Expect(err).NotTo(HaveOccurred())
	inv, err := inventory.Load([]string{path}, "default")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(inv.Problems).To(BeEmpty())
	g.Expect(inv.Prometheuses).To(HaveLen(1))
	g.Expect(inv.Prometheuses[0].Namespace + "/" + inv.Prometheuses[0].Name).To(Equal(Prometheus))
	g.Expect(inv.Namespaces).To(HaveLen(Namespaces + 1))
	g.Expect(inv.ServiceMonitors).To(HaveLen(120))
	for i, m := range inv.ServiceMonitors {
		g.Expect(m.Name).To(Equal(fmt.Sprintf("app-%05d", i)))
		g.Expect(m.Namespace).To(Equal(fmt.Sprintf("team-%02d", i%Namespaces)))
		g.Expect(m.Spec.Endpoints).To(HaveLen(2))
		g.Expect(m.Spec.NamespaceSelector.MatchNames).To(Equal([]string{m.Namespace}))
	}
}
