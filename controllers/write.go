package controllers

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"maps"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// writer creates and updates generated objects, only when they differ
// from what the API server has, and counts what it did.
type writer struct {
	client client.Client
	// reader reads Secrets and ConfigMaps, which are not cached.
	reader  client.Reader
	scheme  *runtime.Scheme
	metrics *Metrics
}

// gz compresses data deterministically (no name, no time), so that the
// same configuration always gives the same bytes.
func gz(data []byte) []byte {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	_, _ = w.Write(data)
	_ = w.Close()
	return b.Bytes()
}

func gunzip(data []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// secret makes the Secret want (owned by owner) exist with its data;
// same(have, want) says whether the data already says the same.
// keepExisting leaves an existing Secret's data alone.
func (w *writer) secret(ctx context.Context, owner client.Object, want *corev1.Secret, keepExisting bool,
	same func(have, want map[string][]byte) bool) error {
	if err := controllerutil.SetControllerReference(owner, want, w.scheme); err != nil {
		return err
	}
	have := &corev1.Secret{}
	err := w.reader.Get(ctx, client.ObjectKeyFromObject(want), have)
	switch {
	case apierrors.IsNotFound(err):
		w.metrics.write("Secret", "create")
		return w.client.Create(ctx, want)
	case err != nil:
		return err
	case keepExisting || (same(have.Data, want.Data) && maps.Equal(have.Labels, want.Labels) && ownedBy(have, owner)):
		w.metrics.write("Secret", "skip")
		return nil
	}
	have.Data, have.Labels, have.OwnerReferences = want.Data, want.Labels, want.OwnerReferences
	w.metrics.write("Secret", "update")
	return w.client.Update(ctx, have)
}

// configMap makes the ConfigMap want (owned by owner) exist with its data.
func (w *writer) configMap(ctx context.Context, owner client.Object, want *corev1.ConfigMap) error {
	if err := controllerutil.SetControllerReference(owner, want, w.scheme); err != nil {
		return err
	}
	have := &corev1.ConfigMap{}
	err := w.reader.Get(ctx, client.ObjectKeyFromObject(want), have)
	switch {
	case apierrors.IsNotFound(err):
		w.metrics.write("ConfigMap", "create")
		return w.client.Create(ctx, want)
	case err != nil:
		return err
	case maps.Equal(have.Data, want.Data) && len(have.BinaryData) == 0 && maps.Equal(have.Labels, want.Labels) && ownedBy(have, owner):
		w.metrics.write("ConfigMap", "skip")
		return nil
	}
	have.Data, have.BinaryData, have.Labels, have.OwnerReferences = want.Data, nil, want.Labels, want.OwnerReferences
	w.metrics.write("ConfigMap", "update")
	return w.client.Update(ctx, have)
}

// ownedBy says whether obj's controller is owner.
func ownedBy(obj, owner client.Object) bool {
	for _, r := range obj.GetOwnerReferences() {
		if r.Controller != nil && *r.Controller {
			return r.UID == owner.GetUID()
		}
	}
	return false
}

// sameGzipped compares the gunzipped key of two Secrets' data.
func sameGzipped(key string) func(have, want map[string][]byte) bool {
	return func(have, want map[string][]byte) bool {
		if len(have) != len(want) {
			return false
		}
		h, err := gunzip(have[key])
		if err != nil {
			return false
		}
		w, err := gunzip(want[key])
		return err == nil && bytes.Equal(h, w)
	}
}
