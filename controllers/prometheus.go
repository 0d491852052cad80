package controllers

import (
	"context"
	"fmt"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
	"github.com/vigil-monitoring/vigil/internal/rules"
	"github.com/vigil-monitoring/vigil/internal/selection"
	"github.com/vigil-monitoring/vigil/internal/workload"
)

// ConfigKey is the key of prometheus.yaml in the configuration Secret,
// gzipped, as Prometheus Operator names it.
const ConfigKey = "prometheus.yaml.gz"

// ConfigSecretName is the name of the Secret holding p's configuration.
func ConfigSecretName(p *monitoringv1.Prometheus) string { return "prometheus-" + p.Name }

// PrometheusReconciler keeps each Prometheus object's configuration Secret
// and rule ConfigMaps in step with what it selects, and says what it made
// of each selected object in that object's status.bindings.
type PrometheusReconciler struct {
	Client client.Client
	// APIReader reads Secrets and ConfigMaps, which are not cached.
	APIReader      client.Reader
	Recorder       events.EventRecorder
	FileReferences assets.FileReferencePolicy
	Metrics        *Metrics
	// Workload are the operator's settings for the StatefulSets (images,
	// extra labels).
	Workload workload.Options

	caches *pipeline.Caches
	refs   *references
	status *statusWriter
	pace   *pace
	// uids maps each Prometheus to its UID, to drop its cache once it is
	// gone.
	uids map[types.NamespacedName]types.UID
}

// +kubebuilder:rbac:groups=monitoring.coreos.com,resources=prometheuses,verbs=get;list;watch
// +kubebuilder:rbac:groups=monitoring.coreos.com,resources=prometheuses/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=monitoring.coreos.com,resources=servicemonitors;podmonitors;probes;prometheusrules;scrapeconfigs,verbs=get;list;watch
// +kubebuilder:rbac:groups=monitoring.coreos.com,resources=servicemonitors/status;podmonitors/status;probes/status;prometheusrules/status;scrapeconfigs/status,verbs=get;update;patch
// +kubebuilder:rbac:groups="",resources=namespaces,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=secrets;configmaps,verbs=get;list;watch;create;update;delete
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch
// +kubebuilder:rbac:groups=apps,resources=statefulsets,verbs=get;list;watch;create;update;delete
// +kubebuilder:rbac:groups="",resources=services,verbs=get;list;watch;create;update
// +kubebuilder:rbac:groups=rbac.authorization.k8s.io,resources=roles;rolebindings,verbs=get;list;watch;create;update
// +kubebuilder:rbac:groups=coordination.k8s.io,resources=leases,verbs=get;list;watch;create;update;patch;delete

// Reconcile generates one Prometheus object's configuration and writes it.
func (r *PrometheusReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	if d := r.pace.wait(req.NamespacedName, time.Now()); d > 0 {
		return ctrl.Result{RequeueAfter: d}, nil
	}
	start := time.Now()
	defer func() { r.pace.done(req.NamespacedName, start, time.Now()) }()
	p := &monitoringv1.Prometheus{}
	if err := r.Client.Get(ctx, req.NamespacedName, p); err != nil {
		if apierrors.IsNotFound(err) {
			r.forget(req.NamespacedName)
			return ctrl.Result{}, nil
		}
		return ctrl.Result{}, err
	}
	r.uids[req.NamespacedName] = p.UID
	if p.Spec.Paused {
		return ctrl.Result{}, r.setStatus(ctx, p, metav1.ConditionTrue, "Paused", "spec.paused is set: nothing is changed")
	}

	snap, candidates, err := r.snapshot(ctx)
	if err != nil {
		return ctrl.Result{}, err
	}
	snap.Values = newValues(ctx, r.APIReader)
	res, genErr := pipeline.Prometheus(p, snap, r.caches)
	r.refs.set(req.NamespacedName, res.References)

	w := &writer{client: r.Client, reader: r.APIReader, scheme: r.Client.Scheme(), metrics: r.Metrics}
	if err := r.writeRules(ctx, w, p, res.RuleConfigMaps); err != nil {
		return ctrl.Result{}, err
	}
	if genErr != nil {
		r.status.bind(r.owner(p), p, res.Decisions, candidates, rules.KindPrometheusRule)
		r.Metrics.countSelected(r.owner(p), res.Decisions)
		logf.FromContext(ctx).Info("the configuration cannot be generated", "err", genErr)
		return ctrl.Result{}, r.reject(ctx, p, "Generate", genErr)
	}
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: ConfigSecretName(p), Namespace: p.Namespace,
			Labels: map[string]string{"managed-by": "vigil", "app.kubernetes.io/managed-by": rules.ManagedByValue}},
	}
	// Unmanaged: the Secret is created, empty, and then its user's.
	if err := w.gzippedSecret(ctx, p, secret, map[string][]byte{ConfigKey: res.Config}, res.Unmanaged); err != nil {
		return ctrl.Result{}, err
	}
	r.Metrics.configSz.WithLabelValues("Prometheus", req.String()).Set(float64(len(res.Config)))
	r.status.bind(r.owner(p), p, res.Decisions, candidates)
	r.Metrics.countSelected(r.owner(p), res.Decisions)
	if err := r.writeWorkload(ctx, w, p); err != nil {
		if isAPIError(err) {
			return ctrl.Result{}, err
		}
		// The spec cannot make a workload: nothing to retry until it changes.
		return ctrl.Result{}, r.reject(ctx, p, "BuildWorkload", err)
	}
	msg := fmt.Sprintf("configuration written: %d objects accepted, %d rejected", count(res.Decisions, true), count(res.Decisions, false))
	if res.Unmanaged {
		msg = "no monitor selector is set: prometheus.yaml is left to its user; rules written"
	}
	return ctrl.Result{}, r.setStatus(ctx, p, metav1.ConditionTrue, "Reconciled", msg)
}

// owner is p in bindings.
func (r *PrometheusReconciler) owner(p *monitoringv1.Prometheus) ownerRef {
	return ownerRef{kind: "Prometheus", resource: "prometheuses", namespace: p.Namespace, name: p.Name, generation: p.Generation}
}

// forget drops what the reconciler holds for a deleted Prometheus; the
// objects it owns go with it through their owner references.
func (r *PrometheusReconciler) forget(key types.NamespacedName) {
	r.refs.forget(key)
	r.pace.forget(key)
	if uid, ok := r.uids[key]; ok {
		r.caches.Drop(uid)
		delete(r.uids, key)
	}
}

// candidates are the objects a Prometheus may select, by kind/ns/name.
type candidates map[string]client.Object

func candidateKey(kind, namespace, name string) string { return kind + "/" + namespace + "/" + name }

// snapshot lists everything from the caches.
func (r *PrometheusReconciler) snapshot(ctx context.Context) (pipeline.Snapshot, candidates, error) {
	snap := pipeline.Snapshot{FileReferences: r.FileReferences}
	var err error
	if snap.Namespaces, err = namespaces(ctx, r.Client); err != nil {
		return snap, nil, err
	}
	c := candidates{}
	var (
		sms  monitoringv1.ServiceMonitorList
		pms  monitoringv1.PodMonitorList
		prbs monitoringv1.ProbeList
		prs  monitoringv1.PrometheusRuleList
		scs  monitoringv1alpha1.ScrapeConfigList
	)
	// The cache's own objects, not copies: the pipeline only reads them
	// (pipeline's TestInputsAreNotChanged), and copying thousands of
	// monitors was a tenth of an edit's time.
	for _, l := range []client.ObjectList{&sms, &pms, &prbs, &prs, &scs} {
		if err := r.Client.List(ctx, l, client.UnsafeDisableDeepCopy); err != nil {
			return snap, nil, err
		}
	}
	snap.ServiceMonitors = pointers(sms.Items, c, "ServiceMonitor")
	snap.PodMonitors = pointers(pms.Items, c, "PodMonitor")
	snap.Probes = pointers(prbs.Items, c, "Probe")
	snap.PrometheusRules = pointers(prs.Items, c, rules.KindPrometheusRule)
	snap.ScrapeConfigs = pointers(scs.Items, c, "ScrapeConfig")
	return snap, c, nil
}

func pointers[T any, PT interface {
	*T
	client.Object
}](items []T, c candidates, kind string) []PT {
	out := make([]PT, len(items))
	for i := range items {
		out[i] = PT(&items[i])
		c[candidateKey(kind, out[i].GetNamespace(), out[i].GetName())] = out[i]
	}
	return out
}

// namespaces are the labels of every namespace, from the metadata cache.
func namespaces(ctx context.Context, c client.Client) (selection.Namespaces, error) {
	var l metav1.PartialObjectMetadataList
	l.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("NamespaceList"))
	if err := c.List(ctx, &l); err != nil {
		return nil, err
	}
	out := selection.Namespaces{}
	for _, ns := range l.Items {
		out[ns.Name] = ns.Labels
	}
	return out, nil
}

// writeRules writes the rule ConfigMaps, then removes the ones no longer
// needed: Prometheus never sees a rule missing in between.
func (r *PrometheusReconciler) writeRules(ctx context.Context, w *writer, p *monitoringv1.Prometheus, maps []corev1.ConfigMap) error {
	keep := map[string]bool{}
	for i := range maps {
		cm := maps[i].DeepCopy()
		cm.Namespace = p.Namespace
		keep[cm.Name] = true
		if err := w.configMap(ctx, p, cm); err != nil {
			return err
		}
	}
	var existing corev1.ConfigMapList
	if err := r.APIReader.List(ctx, &existing, client.InNamespace(p.Namespace), client.MatchingLabelsSelector{Selector: labels.SelectorFromSet(map[string]string{
		rules.LabelPrometheusName: p.Name, rules.LabelManagedBy: rules.ManagedByValue,
	})}); err != nil {
		return err
	}
	for i := range existing.Items {
		cm := &existing.Items[i]
		if !keep[cm.Name] && ownedBy(cm, p) {
			r.Metrics.write("ConfigMap", "delete")
			if err := r.Client.Delete(ctx, cm); err != nil && !apierrors.IsNotFound(err) {
				return err
			}
		}
	}
	return nil
}

func kindOfKey(key string) string {
	for i := range key {
		if key[i] == '/' {
			return key[:i]
		}
	}
	return key
}

func count(ds []pipeline.Decision, accepted bool) int {
	n := 0
	for _, d := range ds {
		if d.Accepted() == accepted {
			n++
		}
	}
	return n
}

// setStatus sets the Reconciled condition, writing only when it changes.
func (r *PrometheusReconciler) setStatus(ctx context.Context, p *monitoringv1.Prometheus, status metav1.ConditionStatus, reason, msg string) error {
	return setReconciled(ctx, r.Client, p, &p.Status.WorkloadStatus, p.Spec.Paused, status, reason, msg)
}

// reject says why p cannot be reconciled, in its status and, when that
// is new, in an Event.
func (r *PrometheusReconciler) reject(ctx context.Context, p *monitoringv1.Prometheus, action string, err error) error {
	return reject(ctx, r.Client, r.APIReader, r.Recorder, p, p.Spec.Paused, action, err)
}

func equalConditions(a, b []metav1.Condition) bool {
	return slices.EqualFunc(a, b, func(x, y metav1.Condition) bool {
		return x.Type == y.Type && x.Status == y.Status && x.Reason == y.Reason && x.Message == y.Message && x.ObservedGeneration == y.ObservedGeneration
	})
}
