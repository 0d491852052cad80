package assets

import (
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// Source resolves Secret and ConfigMap keys. The namespace is always the
// referring object's own.
type Source interface {
	SecretKey(namespace string, sel corev1.SecretKeySelector) (string, error)
	ConfigMapKey(namespace string, sel corev1.ConfigMapKeySelector) (string, error)
}

// ErrNotFound is wrapped by the errors for a missing object or key. Its
// reason is rejection.ReferenceNotFound.
var ErrNotFound error = &rejection.Error{Reason: rejection.ReferenceNotFound, Err: errors.New("not found")}

var _ Source = (*Store)(nil)

// Store holds Secrets and ConfigMaps in memory. vigilctl fills it from
// manifests; the operator from the objects that selected monitors name.
type Store struct {
	secrets    map[types.NamespacedName]map[string][]byte
	configMaps map[types.NamespacedName]map[string]string
}

// NewStore indexes the given objects.
func NewStore(secrets []corev1.Secret, configMaps []corev1.ConfigMap) *Store {
	s := &Store{
		secrets:    make(map[types.NamespacedName]map[string][]byte, len(secrets)),
		configMaps: make(map[types.NamespacedName]map[string]string, len(configMaps)),
	}
	for i := range secrets {
		sec := &secrets[i]
		data := make(map[string][]byte, len(sec.Data)+len(sec.StringData))
		for k, v := range sec.Data {
			data[k] = v
		}
		// stringData is how manifests often carry values; the API server
		// folds it into data, and so does the store.
		for k, v := range sec.StringData {
			data[k] = []byte(v)
		}
		s.secrets[types.NamespacedName{Namespace: sec.Namespace, Name: sec.Name}] = data
	}
	for i := range configMaps {
		cm := &configMaps[i]
		data := make(map[string]string, len(cm.Data)+len(cm.BinaryData))
		for k, v := range cm.Data {
			data[k] = v
		}
		for k, v := range cm.BinaryData {
			data[k] = string(v)
		}
		s.configMaps[types.NamespacedName{Namespace: cm.Namespace, Name: cm.Name}] = data
	}
	return s
}

// SecretKey returns the value of a Secret's key in namespace. Whether a
// missing one is optional is the Resolver's to decide.
func (s *Store) SecretKey(namespace string, sel corev1.SecretKeySelector) (string, error) {
	data, ok := s.secrets[types.NamespacedName{Namespace: namespace, Name: sel.Name}]
	if !ok {
		return "", fmt.Errorf("secret %q in namespace %q: %w", sel.Name, namespace, ErrNotFound)
	}
	v, ok := data[sel.Key]
	if !ok {
		return "", fmt.Errorf("key %q of secret %q in namespace %q: %w", sel.Key, sel.Name, namespace, ErrNotFound)
	}
	return string(v), nil
}

// ConfigMapKey returns the value of a ConfigMap's key in namespace.
func (s *Store) ConfigMapKey(namespace string, sel corev1.ConfigMapKeySelector) (string, error) {
	data, ok := s.configMaps[types.NamespacedName{Namespace: namespace, Name: sel.Name}]
	if !ok {
		return "", fmt.Errorf("configmap %q in namespace %q: %w", sel.Name, namespace, ErrNotFound)
	}
	v, ok := data[sel.Key]
	if !ok {
		return "", fmt.Errorf("key %q of configmap %q in namespace %q: %w", sel.Key, sel.Name, namespace, ErrNotFound)
	}
	return v, nil
}
