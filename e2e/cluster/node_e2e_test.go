//go:build e2e

package cluster

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// TestNode runs the cluster with testdata/fakenode in vigil-node's place:
// same flags, a Ready Node, the kubelet port.
func TestNode(t *testing.T) {
	requireRoot(t)
	g := NewWithT(t)
	dir := testDir(t)
	bin := filepath.Join(t.TempDir(), "fakenode")
	build := exec.Command("go", "build", "-o", bin, "./testdata/fakenode")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	g.Expect(build.Run()).To(Succeed())

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := Start(ctx, Options{Dir: dir, Progress: logWriter{t}, Node: &NodeOptions{Binary: bin}})
	g.Expect(err).NotTo(HaveOccurred())
	t.Cleanup(func() { _ = c.Stop() })
	g.Expect(c.NodeName).To(Equal(DefaultNodeName))
	cs := kubernetes.NewForConfigOrDie(c.Config)

	t.Run("the node's user has the extra RBAC", func(t *testing.T) {
		g := NewWithT(t)
		for _, attrs := range []authorizationv1.ResourceAttributes{
			{Verb: "list", Resource: "secrets"},
			{Verb: "watch", Resource: "configmaps"},
			{Verb: "create", Resource: "serviceaccounts", Subresource: "token", Namespace: "default"},
			{Verb: "update", Resource: "leases", Group: "coordination.k8s.io", Namespace: "kube-node-lease", Name: "x"},
			{Verb: "delete", Resource: "pods", Namespace: "default"},
		} {
			sar, err := cs.AuthorizationV1().SubjectAccessReviews().Create(ctx, &authorizationv1.SubjectAccessReview{
				Spec: authorizationv1.SubjectAccessReviewSpec{User: "system:node:" + c.NodeName, Groups: []string{"system:nodes"}, ResourceAttributes: &attrs},
			}, metav1.CreateOptions{})
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(sar.Status.Allowed).To(BeTrue(), "%+v", attrs)
		}
	})
	t.Run("Kill and Restart the node", func(t *testing.T) {
		g := NewWithT(t)
		old := c.PID(VigilNode)
		g.Expect(old).NotTo(BeZero())
		g.Expect(c.Kill(VigilNode)).To(Succeed())
		g.Expect(c.PID(VigilNode)).To(BeZero())
		_, err := net.DialTimeout("tcp", kubeletAddr, time.Second)
		g.Expect(err).To(HaveOccurred(), "nothing listens on the kubelet port")
		g.Expect(c.Restart(ctx, VigilNode)).To(Succeed())
		g.Expect(c.PID(VigilNode)).NotTo(BeElementOf(0, old))
	})
	t.Run("Stop stops the node while the API server runs", func(t *testing.T) {
		g := NewWithT(t)
		pids := componentPIDs(c)
		g.Expect(pids).To(HaveLen(5))
		g.Expect(c.Stop()).To(Succeed())
		g.Expect(os.ReadFile(filepath.Join(dir, "logs", "vigil-node.log"))).
			To(ContainSubstring("API server reachable at shutdown: true"))
		expectGone(g, pids)
	})
}
