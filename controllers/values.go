package controllers

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/vigil-monitoring/vigil/internal/assets"
)

// values is the pipeline's source of Secret and ConfigMap keys for one
// reconcile: direct GETs through an uncached reader, each object read
// once.
type values struct {
	ctx        context.Context
	reader     client.Reader
	secrets    map[types.NamespacedName]*corev1.Secret
	configMaps map[types.NamespacedName]*corev1.ConfigMap
}

var _ assets.Source = (*values)(nil)

func newValues(ctx context.Context, reader client.Reader) *values {
	return &values{ctx: ctx, reader: reader,
		secrets: map[types.NamespacedName]*corev1.Secret{}, configMaps: map[types.NamespacedName]*corev1.ConfigMap{}}
}

// SecretKey reads one key of a Secret.
func (v *values) SecretKey(namespace string, sel corev1.SecretKeySelector) (string, error) {
	key := types.NamespacedName{Namespace: namespace, Name: sel.Name}
	s, ok := v.secrets[key]
	if !ok {
		s = &corev1.Secret{}
		if err := v.reader.Get(v.ctx, key, s); err != nil {
			if !apierrors.IsNotFound(err) {
				return "", err
			}
			s = nil
		}
		v.secrets[key] = s
	}
	if s == nil {
		return "", fmt.Errorf("secret %q in namespace %q: %w", sel.Name, namespace, assets.ErrNotFound)
	}
	data, ok := s.Data[sel.Key]
	if !ok {
		return "", fmt.Errorf("key %q of secret %q in namespace %q: %w", sel.Key, sel.Name, namespace, assets.ErrNotFound)
	}
	return string(data), nil
}

// ConfigMapKey reads one key of a ConfigMap.
func (v *values) ConfigMapKey(namespace string, sel corev1.ConfigMapKeySelector) (string, error) {
	key := types.NamespacedName{Namespace: namespace, Name: sel.Name}
	cm, ok := v.configMaps[key]
	if !ok {
		cm = &corev1.ConfigMap{}
		if err := v.reader.Get(v.ctx, key, cm); err != nil {
			if !apierrors.IsNotFound(err) {
				return "", err
			}
			cm = nil
		}
		v.configMaps[key] = cm
	}
	if cm == nil {
		return "", fmt.Errorf("configmap %q in namespace %q: %w", sel.Name, namespace, assets.ErrNotFound)
	}
	if d, ok := cm.Data[sel.Key]; ok {
		return d, nil
	}
	if d, ok := cm.BinaryData[sel.Key]; ok {
		return string(d), nil
	}
	return "", fmt.Errorf("key %q of configmap %q in namespace %q: %w", sel.Key, sel.Name, namespace, assets.ErrNotFound)
}
