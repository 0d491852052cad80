package controllers

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/workload"
)

// isAPIError says whether err came from the API server rather than from
// the object's spec.
func isAPIError(err error) bool {
	var s apierrors.APIStatus
	return errors.As(err, &s)
}

// writeWorkload writes what runs p: its StatefulSets (one per shard;
// those of shards no longer wanted removed), the web configuration
// Secret, the config-reloader's Role and RoleBinding, and the governing
// Service shared by every Prometheus of the namespace; then the replica
// counts and the Available condition from the StatefulSets' status.
func (r *PrometheusReconciler) writeWorkload(ctx context.Context, w *writer, p *monitoringv1.Prometheus) error {
	wl, err := workload.Prometheus(p, r.Workload)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, sts := range wl.StatefulSets {
		keep[sts.Name] = true
		if err := w.apply(ctx, r.Client, sts); err != nil {
			return err
		}
	}
	if err := w.apply(ctx, r.APIReader, wl.WebConfig); err != nil {
		return err
	}
	for _, o := range []client.Object{wl.Role, wl.RoleBinding} {
		if err := w.apply(ctx, r.Client, o); err != nil {
			return err
		}
	}
	var all monitoringv1.PrometheusList
	if err := r.Client.List(ctx, &all, client.InNamespace(p.Namespace)); err != nil {
		return err
	}
	proms := make([]*monitoringv1.Prometheus, len(all.Items))
	for i := range all.Items {
		proms[i] = &all.Items[i]
	}
	if err := w.apply(ctx, r.Client, workload.PrometheusService(proms, r.Workload)); err != nil {
		return err
	}

	var stss appsv1.StatefulSetList
	if err := r.Client.List(ctx, &stss, client.InNamespace(p.Namespace), client.MatchingLabels{workload.LabelOperatorName: p.Name}); err != nil {
		return err
	}
	var shards []monitoringv1.ShardStatus
	var replicas, available, updated int32
	for i := range stss.Items {
		sts := &stss.Items[i]
		if !ownedBy(sts, p) {
			continue
		}
		if !keep[sts.Name] {
			w.metrics.write("apps.v1.StatefulSet", "delete")
			if err := r.Client.Delete(ctx, sts); err != nil && !apierrors.IsNotFound(err) {
				return err
			}
			continue
		}
		st := sts.Status
		shards = append(shards, monitoringv1.ShardStatus{
			ShardID: shardOf(sts), Replicas: st.Replicas, UpdatedReplicas: st.UpdatedReplicas,
			AvailableReplicas: st.AvailableReplicas, UnavailableReplicas: st.Replicas - st.AvailableReplicas,
		})
		replicas, available, updated = replicas+st.Replicas, available+st.AvailableReplicas, updated+st.UpdatedReplicas
	}
	before := p.DeepCopy()
	p.Status.Replicas, p.Status.AvailableReplicas, p.Status.UpdatedReplicas = replicas, available, updated
	p.Status.UnavailableReplicas = replicas - available
	p.Status.Shards = workload.PrometheusShards(p)
	p.Status.ShardStatuses = shards
	meta.SetStatusCondition(&p.Status.Conditions, availability(available, int32(len(wl.StatefulSets))*replicasOf(p), p.Generation))
	if equality.Semantic.DeepEqual(before.Status, p.Status) {
		return nil
	}
	return r.Client.Status().Patch(ctx, p, client.MergeFrom(before))
}

func shardOf(sts *appsv1.StatefulSet) string {
	if s, ok := sts.Labels[workload.LabelShard]; ok {
		return s
	}
	return strconv.Itoa(0)
}

func replicasOf(p *monitoringv1.Prometheus) int32 {
	if p.Spec.Replicas != nil {
		return *p.Spec.Replicas
	}
	return 1
}

// availability is the Available condition for available pods of want:
// True when all are ready (Degraded when only some), False when none is.
func availability(available, want int32, generation int64) metav1.Condition {
	c := metav1.Condition{Type: monitoringv1.ConditionAvailable, ObservedGeneration: generation,
		Status: metav1.ConditionTrue, Reason: "AllPodsReady", Message: fmt.Sprintf("%d of %d pods ready", available, want)}
	switch {
	case available == 0 && want > 0:
		c.Status, c.Reason = metav1.ConditionFalse, "NoPodReady"
	case available < want:
		c.Reason = "Degraded"
	}
	return c
}
