// Package config_test checks that what make deploy applies is valid: the
// kustomization builds with kubectl's kustomize, and every object is
// accepted by a real API server with strict field validation.
package config_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

var env *testenv.Env

func TestMain(m *testing.M) {
	os.Exit(testenv.Run(m, func(e *testenv.Env) error { env = e; return nil }))
}

func TestDeployApplies(t *testing.T) {
	g := NewWithT(t)
	kubectl := filepath.Join(os.Getenv("KUBEBUILDER_ASSETS"), "kubectl")
	out, err := exec.Command(kubectl, "kustomize", "default").Output()
	g.Expect(err).NotTo(HaveOccurred(), "kubectl kustomize config/default")
	docs, err := manifest.Documents(out)
	g.Expect(err).NotTo(HaveOccurred())
	kinds := map[string]int{}
	for _, d := range docs {
		var u unstructured.Unstructured
		g.Expect(manifest.DecodeStrict(d, &u.Object)).To(Succeed())
		kinds[u.GetKind()]++
		if u.GetKind() == "CustomResourceDefinition" {
			continue // installed by testenv already
		}
		g.Expect(env.Client.Create(context.Background(), &u, client.FieldValidation("Strict"))).To(Succeed(), "%s %s", u.GetKind(), u.GetName())
	}
	g.Expect(kinds).To(Equal(map[string]int{
		"CustomResourceDefinition": 8, "ClusterRole": 1, "ClusterRoleBinding": 1, "Namespace": 1,
		"ServiceAccount": 1, "Deployment": 1, "Service": 1, "ServiceMonitor": 1,
	}))
}
