package controllers

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/vigil-monitoring/vigil/internal/selection"
)

// ownerList lists the owners of one kind (Prometheus or Alertmanager)
// from the cache.
type ownerList[T any] func(ctx context.Context) ([]T, error)

// everyOwner enqueues every owner: a Namespace's labels changed, which
// may change what any of them selects.
func everyOwner[T client.Object](list ownerList[T]) handler.MapFunc {
	return func(ctx context.Context, _ client.Object) []reconcile.Request {
		owners, err := list(ctx)
		if err != nil {
			return nil
		}
		out := make([]reconcile.Request, len(owners))
		for i, o := range owners {
			out[i] = reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)}
		}
		return out
	}
}

// selectingOwners enqueues the owners (of the bindings' resource) that
// select obj, and those bound to it, which may no longer select it.
func selectingOwners[T client.Object](c client.Client, list ownerList[T], resource string,
	selects func(owner T, ns selection.Namespaces, obj client.Object) bool) handler.MapFunc {
	return func(ctx context.Context, obj client.Object) []reconcile.Request {
		owners, err := list(ctx)
		if err != nil {
			return nil
		}
		ns, err := namespaces(ctx, c)
		if err != nil {
			return nil
		}
		bound := map[types.NamespacedName]bool{}
		for _, b := range statusOf(obj).Bindings {
			if b.Resource == resource {
				bound[types.NamespacedName{Namespace: b.Namespace, Name: b.Name}] = true
			}
		}
		var out []reconcile.Request
		for _, o := range owners {
			key := client.ObjectKeyFromObject(o)
			if bound[key] || selects(o, ns, obj) {
				out = append(out, reconcile.Request{NamespacedName: key})
			}
		}
		return out
	}
}
