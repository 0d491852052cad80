package controllers

import (
	"context"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/amconfig"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
	"github.com/vigil-monitoring/vigil/internal/selection"
	"github.com/vigil-monitoring/vigil/internal/workload"
)

// AlertmanagerReconciler keeps each Alertmanager's generated configuration
// Secret and workload in step with its configuration Secret and the
// AlertmanagerConfigs it selects.
type AlertmanagerReconciler struct {
	Client client.Client
	// APIReader reads Secrets and ConfigMaps, which are not cached.
	APIReader      client.Reader
	Recorder       events.EventRecorder
	FileReferences assets.FileReferencePolicy
	Metrics        *Metrics
	Workload       workload.Options

	refs   *references
	status *statusWriter
}

// +kubebuilder:rbac:groups=monitoring.coreos.com,resources=alertmanagers,verbs=get;list;watch
// +kubebuilder:rbac:groups=monitoring.coreos.com,resources=alertmanagers/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=monitoring.coreos.com,resources=alertmanagerconfigs,verbs=get;list;watch
// +kubebuilder:rbac:groups=monitoring.coreos.com,resources=alertmanagerconfigs/status,verbs=get;update;patch

// Reconcile generates one Alertmanager's configuration and writes it with
// its workload.
func (r *AlertmanagerReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	am := &monitoringv1.Alertmanager{}
	if err := r.Client.Get(ctx, req.NamespacedName, am); err != nil {
		if apierrors.IsNotFound(err) {
			r.refs.forget(req.NamespacedName)
			return ctrl.Result{}, nil
		}
		return ctrl.Result{}, err
	}
	if am.Spec.Paused {
		return ctrl.Result{}, r.setStatus(ctx, am, metav1.ConditionTrue, "Paused", "spec.paused is set: nothing is changed")
	}
	snap := pipeline.Snapshot{FileReferences: r.FileReferences, Values: newValues(ctx, r.APIReader)}
	var err error
	if snap.Namespaces, err = namespaces(ctx, r.Client); err != nil {
		return ctrl.Result{}, err
	}
	var amcs monitoringv1alpha1.AlertmanagerConfigList
	// Not copies: the pipeline only reads them (see the Prometheus snapshot).
	if err := r.Client.List(ctx, &amcs, client.UnsafeDisableDeepCopy); err != nil {
		return ctrl.Result{}, err
	}
	cands := candidates{}
	snap.AlertmanagerConfigs = pointers(amcs.Items, cands, amconfig.KindAlertmanagerConfig)

	res, genErr := pipeline.Alertmanager(am, snap)
	r.refs.set(req.NamespacedName, res.References)
	if genErr != nil {
		return ctrl.Result{}, r.reject(ctx, am, "Generate", genErr)
	}
	w := &writer{client: r.Client, reader: r.APIReader, scheme: r.Client.Scheme(), metrics: r.Metrics}
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: workload.AlertmanagerGeneratedSecretName(am.Name), Namespace: am.Namespace,
			Labels: map[string]string{"managed-by": "vigil", workload.LabelManagedBy: "vigil"}},
	}
	if err := w.gzippedSecret(ctx, am, secret, map[string][]byte{workload.AlertmanagerConfigKey: res.Config}, false); err != nil {
		return ctrl.Result{}, err
	}
	r.Metrics.configSz.WithLabelValues("Alertmanager", req.String()).Set(float64(len(res.Config)))
	owner := ownerRef{kind: "Alertmanager", resource: "alertmanagers", namespace: am.Namespace, name: am.Name, generation: am.Generation}
	r.status.bind(owner, am, res.Decisions, cands)
	r.Metrics.countSelected(owner, res.Decisions)
	if err := r.writeWorkload(ctx, w, am); err != nil {
		if isAPIError(err) {
			return ctrl.Result{}, err
		}
		return ctrl.Result{}, r.reject(ctx, am, "BuildWorkload", err)
	}
	return ctrl.Result{}, r.setStatus(ctx, am, metav1.ConditionTrue, "Reconciled",
		fmt.Sprintf("configuration written: %d AlertmanagerConfigs accepted, %d rejected", count(res.Decisions, true), count(res.Decisions, false)))
}

func (r *AlertmanagerReconciler) setStatus(ctx context.Context, am *monitoringv1.Alertmanager, status metav1.ConditionStatus, reason, msg string) error {
	return setReconciled(ctx, r.Client, am, &am.Status.WorkloadStatus, am.Spec.Paused, status, reason, msg)
}

// reject says why am cannot be reconciled, in its status and, when that
// is new, in an Event.
func (r *AlertmanagerReconciler) reject(ctx context.Context, am *monitoringv1.Alertmanager, action string, err error) error {
	return reject(ctx, r.Client, r.APIReader, r.Recorder, am, am.Spec.Paused, action, err)
}

// writeWorkload writes the StatefulSet, the web configuration, the
// reloader's RBAC and the governing Service, then the replica counts and
// the Available condition.
func (r *AlertmanagerReconciler) writeWorkload(ctx context.Context, w *writer, am *monitoringv1.Alertmanager) error {
	wl, err := workload.Alertmanager(am, r.Workload)
	if err != nil {
		return err
	}
	if err := w.apply(ctx, r.Client, wl.StatefulSet); err != nil {
		return err
	}
	if wl.WebConfig != nil {
		if err := w.apply(ctx, r.APIReader, wl.WebConfig); err != nil {
			return err
		}
	}
	for _, o := range []client.Object{wl.Role, wl.RoleBinding} {
		if err := w.apply(ctx, r.Client, o); err != nil {
			return err
		}
	}
	var all monitoringv1.AlertmanagerList
	if err := r.Client.List(ctx, &all, client.InNamespace(am.Namespace)); err != nil {
		return err
	}
	ams := make([]*monitoringv1.Alertmanager, len(all.Items))
	for i := range all.Items {
		ams[i] = &all.Items[i]
	}
	if err := w.apply(ctx, r.Client, workload.AlertmanagerService(ams, r.Workload)); err != nil {
		return err
	}
	var sts appsv1.StatefulSet
	if err := r.Client.Get(ctx, client.ObjectKeyFromObject(wl.StatefulSet), &sts); err != nil {
		return client.IgnoreNotFound(err)
	}
	before := am.DeepCopy()
	st := sts.Status
	am.Status.Replicas, am.Status.AvailableReplicas, am.Status.UpdatedReplicas = st.Replicas, st.AvailableReplicas, st.UpdatedReplicas
	am.Status.UnavailableReplicas = st.Replicas - st.AvailableReplicas
	meta.SetStatusCondition(&am.Status.Conditions, availability(st.AvailableReplicas, *wl.StatefulSet.Spec.Replicas, am.Generation))
	if equality.Semantic.DeepEqual(before.Status, am.Status) {
		return nil
	}
	return r.Client.Status().Patch(ctx, am, client.MergeFrom(before))
}

// SetupWithManager registers the reconciler and its watches.
func (r *AlertmanagerReconciler) SetupWithManager(mgr ctrl.Manager) error {
	r.refs, r.status = newReferences(), newStatusWriter(mgr.GetClient(), r.Recorder)
	if r.Metrics == nil {
		r.Metrics = NewMetrics(nil)
	}
	if err := mgr.Add(r.status); err != nil {
		return err
	}
	return ctrl.NewControllerManagedBy(mgr).
		Named("alertmanager").
		For(&monitoringv1.Alertmanager{}).
		Owns(metadataOnly("Secret"), builder.OnlyMetadata).
		Owns(&appsv1.StatefulSet{}).
		Watches(metadataOnly("Namespace"), handler.EnqueueRequestsFromMapFunc(everyOwner(r.alertmanagers)), builder.OnlyMetadata).
		Watches(metadataOnly("Secret"), handler.EnqueueRequestsFromMapFunc(readers(r.refs, "Secret")), builder.OnlyMetadata).
		Watches(metadataOnly("ConfigMap"), handler.EnqueueRequestsFromMapFunc(readers(r.refs, "ConfigMap")), builder.OnlyMetadata).
		Watches(&monitoringv1alpha1.AlertmanagerConfig{}, handler.EnqueueRequestsFromMapFunc(r.selecting()), selectedChanged).
		Complete(r)
}

// alertmanagers lists the Alertmanager objects from the cache.
func (r *AlertmanagerReconciler) alertmanagers(ctx context.Context) ([]*monitoringv1.Alertmanager, error) {
	var l monitoringv1.AlertmanagerList
	if err := r.Client.List(ctx, &l); err != nil {
		return nil, err
	}
	out := make([]*monitoringv1.Alertmanager, len(l.Items))
	for i := range l.Items {
		out[i] = &l.Items[i]
	}
	return out, nil
}

// selecting enqueues the Alertmanagers that select an AlertmanagerConfig,
// are bound to it, or name it in spec.alertmanagerConfiguration.
func (r *AlertmanagerReconciler) selecting() handler.MapFunc {
	return selectingOwners(r.Client, r.alertmanagers, "alertmanagers",
		func(am *monitoringv1.Alertmanager, ns selection.Namespaces, obj client.Object) bool {
			global := am.Namespace == obj.GetNamespace() && amconfig.GlobalConfigName(am) == obj.GetName()
			return global || pipeline.SelectsForAlertmanager(am, ns, obj.GetNamespace(), obj.GetLabels()).Selected
		})
}
