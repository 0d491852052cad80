package amconfig

import (
	"errors"

	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/assets"
)

// Store resolves the Secret and ConfigMap keys AlertmanagerConfigs refer to.
// The caller fills it from its cache, so the package never talks to the API
// server.
type Store = assets.Source

// ErrNotFound is wrapped by the errors for a missing object or key.
var ErrNotFound = assets.ErrNotFound

// resolver reads the references of one AlertmanagerConfig (or of the
// Alertmanager's own settings) with the rules every generator follows (see
// assets.Resolver): the object's own namespace, optional references, the
// file reference policy, and redaction of the values read. A reference the
// API makes required must be set.
type resolver struct{ *assets.Resolver }

// secret returns the value of a Secret key.
func (r *resolver) secret(sel *corev1.SecretKeySelector) (string, error) {
	if sel == nil {
		return "", errors.New("a secret reference needs name and key")
	}
	return r.Secret(sel)
}

// configMap returns the value of a ConfigMap key.
func (r *resolver) configMap(sel *corev1.ConfigMapKeySelector) (string, error) {
	if sel == nil {
		return "", errors.New("a configmap reference needs name and key")
	}
	return r.ConfigMap(sel)
}

// secretOrConfigMap returns the value of whichever of the two is set, and
// "" when neither is.
func (r *resolver) secretOrConfigMap(s monitoringv1.SecretOrConfigMap) (string, error) {
	return r.SecretOrConfigMap(s)
}
