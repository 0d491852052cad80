package workload

import (
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// podSelector is one label selector of kube-prometheus's manifests that
// picks pods.
type podSelector struct {
	where    string // file and field
	selector labels.Selector
	// targetPorts are the port names a Service sends traffic to.
	targetPorts []string
}

// kubePrometheusSelectors are every pod selector of kube-prometheus's
// Services, PodDisruptionBudgets and NetworkPolicies.
func kubePrometheusSelectors(t *testing.T) []podSelector {
	t.Helper()
	g := NewWithT(t)
	dir := filepath.Join(testenv.KubePrometheusDir(), "..", "kube-prometheus-manifests")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(files).NotTo(BeEmpty())
	var out []podSelector
	add := func(where string, raw any, ports []string) {
		var ls metav1.LabelSelector
		g.Expect(runtime.DefaultUnstructuredConverter.FromUnstructured(raw.(map[string]any), &ls)).To(Succeed())
		sel, err := metav1.LabelSelectorAsSelector(&ls)
		g.Expect(err).NotTo(HaveOccurred())
		out = append(out, podSelector{where: where, selector: sel, targetPorts: ports})
	}
	for _, f := range files {
		objs, err := manifest.ReadFile(f)
		g.Expect(err).NotTo(HaveOccurred())
		for _, o := range objs {
			where := filepath.Base(f) + " " + o.GetKind() + " " + o.GetName()
			switch o.GetKind() {
			case "Service":
				sel, _, _ := unstructured.NestedStringMap(o.Object, "spec", "selector")
				ports, _, _ := unstructured.NestedSlice(o.Object, "spec", "ports")
				var names []string
				for _, p := range ports {
					if n, ok := p.(map[string]any)["targetPort"].(string); ok {
						names = append(names, n)
					}
				}
				out = append(out, podSelector{where: where + " spec.selector", selector: labels.SelectorFromSet(sel), targetPorts: names})
			case "PodDisruptionBudget":
				sel, _, _ := unstructured.NestedMap(o.Object, "spec", "selector")
				add(where+" spec.selector", sel, nil)
			case "NetworkPolicy":
				sel, _, _ := unstructured.NestedMap(o.Object, "spec", "podSelector")
				add(where+" spec.podSelector", sel, nil)
				for _, dir := range []struct{ rules, peers string }{{"ingress", "from"}, {"egress", "to"}} {
					rules, _, _ := unstructured.NestedSlice(o.Object, "spec", dir.rules)
					for _, r := range rules {
						peers, _, _ := unstructured.NestedSlice(r.(map[string]any), dir.peers)
						for _, p := range peers {
							if ps, ok := p.(map[string]any)["podSelector"]; ok {
								add(where+" spec."+dir.rules+"."+dir.peers+".podSelector", ps, nil)
							}
						}
					}
				}
			}
		}
	}
	return out
}

// TestKubePrometheusSelectsVigilsPods: every Service, PodDisruptionBudget
// and NetworkPolicy of kube-prometheus that selects Prometheus Operator's
// Prometheus or Alertmanager pods selects Vigil's, and none selects
// Vigil's that does not select Prometheus Operator's; the Services' target
// ports exist in Vigil's pods.
func TestKubePrometheusSelectsVigilsPods(t *testing.T) {
	g := NewWithT(t)
	prom, am := kubePrometheus(t)
	pw := buildProm(t, prom, Options{})
	aw := buildAM(t, am, Options{})
	podOf := func(ref map[string]any) map[string]string {
		l, _, _ := unstructured.NestedStringMap(ref, "spec", "template", "metadata", "labels")
		return l
	}
	for _, p := range []struct {
		name       string
		po, vigil  map[string]string
		vigilPorts []corev1.ContainerPort
	}{
		{"Prometheus", podOf(poReference(t, "statefulset-prometheus.yaml")), pw.StatefulSets[0].Spec.Template.Labels, ports(&pw.StatefulSets[0].Spec.Template.Spec)},
		{"Alertmanager", podOf(poReference(t, "statefulset-alertmanager.yaml")), aw.StatefulSet.Spec.Template.Labels, ports(&aw.StatefulSet.Spec.Template.Spec)},
	} {
		matched := 0
		for _, s := range kubePrometheusSelectors(t) {
			po, vigil := s.selector.Matches(labels.Set(p.po)), s.selector.Matches(labels.Set(p.vigil))
			g.Expect(vigil).To(Equal(po), "%s selects Prometheus Operator's %s pods: %v, Vigil's: %v", s.where, p.name, po, vigil)
			if !vigil {
				continue
			}
			matched++
			for _, port := range s.targetPorts {
				g.Expect(p.vigilPorts).To(ContainElement(HaveField("Name", port)), "%s sends traffic to port %s of the %s pods", s.where, port, p.name)
			}
		}
		t.Logf("%s: %d selectors", p.name, matched)
		g.Expect(matched).To(BeNumerically(">=", 3), "kube-prometheus selects the %s pods in its Service, PDB and NetworkPolicies", p.name)
	}
}

func ports(pod *corev1.PodSpec) []corev1.ContainerPort {
	var out []corev1.ContainerPort
	for _, c := range pod.Containers {
		out = append(out, c.Ports...)
	}
	return out
}
