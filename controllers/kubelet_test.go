package controllers_test

import (
	"context"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

func node(t *testing.T, name, ip string, ready corev1.ConditionStatus) *corev1.Node {
	t.Helper()
	ctx := context.Background()
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if err := k.Create(ctx, n); err != nil {
		t.Fatal(err)
	}
	n.Status = corev1.NodeStatus{
		Addresses:  []corev1.NodeAddress{{Type: corev1.NodeHostName, Address: name}, {Type: corev1.NodeInternalIP, Address: ip}},
		Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: ready, LastHeartbeatTime: metav1.Now(), LastTransitionTime: metav1.Now()}},
	}
	if err := k.Status().Update(ctx, n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestKubeletService: the kubelet Service lists every Node whose kubelet
// reported readiness, in its Endpoints and EndpointSlice, and follows the
// Nodes. Endpoints of its name left without Vigil's label, which the
// operator's cache does not hold, are taken over.
func TestKubeletService(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	//nolint:staticcheck // the Endpoints kube-prometheus's ServiceMonitor discovers
	g.Expect(k.Create(ctx, &corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "kubelet"}})).To(Succeed())
	node(t, "node-a", "10.213.0.10", corev1.ConditionTrue)
	node(t, "node-b", "10.213.0.11", corev1.ConditionFalse)
	node(t, "node-c", "10.213.0.12", corev1.ConditionUnknown)
	ips := func() []string {
		//nolint:staticcheck // the Endpoints kube-prometheus's ServiceMonitor discovers
		var eps corev1.Endpoints
		if err := k.Get(ctx, client.ObjectKey{Namespace: "kube-system", Name: "kubelet"}, &eps); err != nil || len(eps.Subsets) == 0 {
			return nil
		}
		var out []string
		for _, a := range eps.Subsets[0].Addresses {
			out = append(out, a.IP)
		}
		return out
	}
	g.Eventually(ips).Should(Equal([]string{"10.213.0.10", "10.213.0.11"}), "not the Node whose kubelet is silent")
	var svc corev1.Service
	g.Expect(k.Get(ctx, client.ObjectKey{Namespace: "kube-system", Name: "kubelet"}, &svc)).To(Succeed())
	g.Expect(svc.Spec.ClusterIP).To(Equal(corev1.ClusterIPNone))
	g.Expect(svc.Labels).To(HaveKeyWithValue("k8s-app", "kubelet"))
	g.Eventually(func() int {
		var slice discoveryv1.EndpointSlice
		_ = k.Get(ctx, client.ObjectKey{Namespace: "kube-system", Name: "kubelet"}, &slice)
		return len(slice.Endpoints)
	}).Should(Equal(2))

	g.Expect(k.Delete(ctx, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-a"}})).To(Succeed())
	g.Eventually(ips).Should(Equal([]string{"10.213.0.11"}))
}
