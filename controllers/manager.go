package controllers

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/vigil-monitoring/vigil/internal/scheme"
)

// NewManager is a manager whose client never caches Secrets or
// ConfigMaps: a Get goes to the API server, and only their metadata is
// watched (see SetupWithManager).
func NewManager(cfg *rest.Config, opts ctrl.Options) (ctrl.Manager, error) {
	if opts.Scheme == nil {
		opts.Scheme = scheme.New()
	}
	opts.Client.Cache = &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}, &corev1.ConfigMap{}}}
	return ctrl.NewManager(cfg, opts)
}
