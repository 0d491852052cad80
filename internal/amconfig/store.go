package amconfig

import (
	"errors"
	"fmt"

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

// resolver reads the references of one AlertmanagerConfig. The namespace is
// always the object's own: a selector carries no namespace, and a tenant must
// not read another namespace's Secrets through the operator.
type resolver struct {
	store     Store
	namespace string
	// fileRefs allows references to files in the Alertmanager container.
	// Only objects in the Alertmanager's own namespace get them: a tenant
	// could otherwise have Alertmanager send a file it can read, such as its
	// service account token, to an endpoint of the tenant's choosing.
	fileRefs bool
	// secrets are the values read, so that they can be redacted from the
	// loader's messages before those reach a status or an Event.
	secrets []string
}

// secret returns the value of a Secret key.
func (r *resolver) secret(sel *corev1.SecretKeySelector) (string, error) {
	if sel == nil || sel.Name == "" || sel.Key == "" {
		return "", errors.New("a secret reference needs name and key")
	}
	if r.store == nil {
		return "", fmt.Errorf("key %q of secret %q: %w", sel.Key, sel.Name, ErrNotFound)
	}
	v, err := r.store.SecretKey(r.namespace, corev1.SecretKeySelector{LocalObjectReference: sel.LocalObjectReference, Key: sel.Key})
	if err != nil {
		return "", err
	}
	r.secrets = append(r.secrets, v)
	return v, nil
}

// configMap returns the value of a ConfigMap key.
func (r *resolver) configMap(sel *corev1.ConfigMapKeySelector) (string, error) {
	if sel.Name == "" || sel.Key == "" {
		return "", errors.New("a configmap reference needs name and key")
	}
	if r.store == nil {
		return "", fmt.Errorf("key %q of configmap %q: %w", sel.Key, sel.Name, ErrNotFound)
	}
	return r.store.ConfigMapKey(r.namespace, corev1.ConfigMapKeySelector{LocalObjectReference: sel.LocalObjectReference, Key: sel.Key})
}

// secretOrConfigMap returns the value of whichever of the two is set, and
// "" when neither is.
func (r *resolver) secretOrConfigMap(s monitoringv1.SecretOrConfigMap) (string, error) {
	switch {
	case s.Secret != nil && s.ConfigMap != nil:
		return "", errors.New("secret and configMap are mutually exclusive")
	case s.Secret != nil:
		return r.secret(s.Secret)
	case s.ConfigMap != nil:
		return r.configMap(s.ConfigMap)
	}
	return "", nil
}
