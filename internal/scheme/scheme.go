// Package scheme is the one runtime.Scheme Vigil's binaries and tests use:
// Kubernetes' built-in kinds and Vigil's API.
package scheme

import (
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// New returns a scheme with the built-in kinds, monitoring.coreos.com/v1
// and v1alpha1, and whatever else adds.
func New(more ...func(*runtime.Scheme) error) *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range append([]func(*runtime.Scheme) error{
		clientgoscheme.AddToScheme, monitoringv1.AddToScheme, monitoringv1alpha1.AddToScheme,
	}, more...) {
		if err := add(s); err != nil {
			panic(err) // only a programming error gets here
		}
	}
	return s
}
