package inventory

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
)

func TestLoad(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		g.Expect(os.MkdirAll(filepath.Dir(p), 0o755)).To(Succeed())
		g.Expect(os.WriteFile(p, []byte(content), 0o644)).To(Succeed())
		return p
	}
	monitors := write("apps/monitors.yaml", `
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web}
spec: {selector: {}, endpoints: [{port: http}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: typo, namespace: apps}
spec: {selector: {}, endpoints: [{port: http, intervall: 1m}]}
`)
	write("list.json", `{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "apps", "labels": {"team": "a"}}},
  {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "apps"}, "stringData": {"k": "v"}},
  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "v"}}
]}`)
	write("notes.txt", "not a manifest")

	inv, err := Load([]string{dir}, "default")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(inv.ServiceMonitors).To(HaveLen(1))
	g.Expect(inv.ServiceMonitors[0].Namespace).To(Equal("default"), "objects without a namespace get the default one")
	g.Expect(inv.Source("ServiceMonitor", "default", "web")).To(Equal(monitors))
	g.Expect(inv.Secrets).To(HaveLen(1), "List items are read")
	g.Expect(inv.ConfigMaps).To(HaveExactElements(HaveField("ObjectMeta.Namespace", "default")),
		"a ConfigMap or Secret without a namespace gets the default one too")
	g.Expect(inv.Namespaces).To(HaveExactElements(HaveField("ObjectMeta.Namespace", "")), "a Namespace has none")
	g.Expect(inv.Problems).To(HaveLen(1))
	g.Expect(inv.Problems[0].String()).To(And(HavePrefix(monitors+": ServiceMonitor apps/typo: "), ContainSubstring(`unknown field "spec.endpoints[0].intervall"`)))

	ns := inv.NamespaceLabels()
	g.Expect(ns["apps"]).To(Equal(map[string]string{"kubernetes.io/metadata.name": "apps", "team": "a"}))
	g.Expect(ns["default"]).To(Equal(map[string]string{"kubernetes.io/metadata.name": "default"}), "namespaces of objects exist too")
}

func TestLoadMissingPath(t *testing.T) {
	_, err := Load([]string{filepath.Join(t.TempDir(), "nope")}, "default")
	NewWithT(t).Expect(err).To(HaveOccurred())
}
