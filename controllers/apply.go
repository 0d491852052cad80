package controllers

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/vigil-monitoring/vigil/internal/workload"
)

// apply makes the object want (built by internal/workload, which sets its
// owner references and its input-hash annotation) exist as built: it is
// created when missing and replaced when its hash differs, and nothing is
// written when the hash is the same, so an unchanged reconcile writes
// nothing. reader reads the current object: the cache, or the API server
// for Secrets, which are not cached. Fields the API server or other
// controllers set (status, defaults, the resourceVersion) are kept by
// starting from the current object.
func (w *writer) apply(ctx context.Context, reader client.Reader, want client.Object) error {
	kind := fmt.Sprintf("%T", want)[1:]
	key := client.ObjectKeyFromObject(want)
	have := want.DeepCopyObject().(client.Object)
	err := reader.Get(ctx, key, have)
	if apierrors.IsNotFound(err) {
		w.metrics.write(kind, "create")
		if err = w.client.Create(ctx, want); !apierrors.IsAlreadyExists(err) {
			return err
		}
		// There, yet not in the cache, which holds only objects labelled
		// as managed (see NewManager): read from the API server, it is
		// replaced with Vigil's, label included, and cached from then on.
		err = w.reader.Get(ctx, key, have)
	}
	switch {
	case err != nil:
		return err
	case have.GetAnnotations()[workload.InputHashAnnotation] == want.GetAnnotations()[workload.InputHashAnnotation]:
		w.metrics.write(kind, "skip")
		return nil
	}
	want.SetResourceVersion(have.GetResourceVersion())
	w.metrics.write(kind, "update")
	return w.client.Update(ctx, want)
}
