package controllers

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/tools/events"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
	"github.com/vigil-monitoring/vigil/internal/rules"
)

// statusWriter writes owners' bindings onto the objects they select, off
// the reconcile path. When a thousand monitors appear at once, each has a
// status to write; written by Reconcile one after another, they held the
// next configuration back by as long (25 s at 1,000 ServiceMonitors on a
// busy API server). Reconcile now says what each object's binding should
// be (bind), and the workers write the ones that differ, several at a
// time, while the configuration goes on being written.
type statusWriter struct {
	client   client.Client
	recorder events.EventRecorder
	workers  int
	queue    workqueue.TypedRateLimitingInterface[objectKey]

	mu sync.Mutex
	// pending is, per object, each owner's binding still to write.
	pending map[objectKey]map[ownerKey]*pendingBinding
}

// objectKey names a selected object.
type objectKey struct{ kind, namespace, name string }

// ownerKey names an owner, whatever its generation.
type ownerKey struct{ resource, namespace, name string }

func (o ownerRef) key() ownerKey { return ownerKey{o.resource, o.namespace, o.name} }

// pendingBinding is what an owner's binding on one object is to say:
// decision nil removes it.
type pendingBinding struct {
	owner    ownerRef
	ownerObj client.Object // the Event's related object
	decision *pipeline.Decision
}

func newStatusWriter(c client.Client, recorder events.EventRecorder) *statusWriter {
	return &statusWriter{
		client: c, recorder: recorder, workers: 8,
		queue: workqueue.NewTypedRateLimitingQueueWithConfig(workqueue.DefaultTypedControllerRateLimiter[objectKey](),
			workqueue.TypedRateLimitingQueueConfig[objectKey]{Name: "bindings"}),
		pending: map[objectKey]map[ownerKey]*pendingBinding{},
	}
}

// bind makes owner's binding on every selected object say its decision,
// and removes it from the candidates (of the kinds given; all when none)
// no longer selected. Only the objects whose status says otherwise are
// queued: a reconcile that changes nothing writes nothing.
func (s *statusWriter) bind(owner ownerRef, ownerObj client.Object, decisions []pipeline.Decision, cands candidates, kinds ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	decided := map[string]bool{}
	for i := range decisions {
		d := decisions[i]
		key := candidateKey(d.Kind, d.Namespace, d.Name)
		decided[key] = true
		if obj, ok := cands[key]; ok {
			s.want(objectKey{d.Kind, d.Namespace, d.Name}, obj, &pendingBinding{owner: owner, ownerObj: ownerObj, decision: &d})
		}
	}
	for key, obj := range cands {
		kind := kindOfKey(key)
		if decided[key] || (len(kinds) > 0 && !slices.Contains(kinds, kind)) {
			continue
		}
		s.want(objectKey{kind, obj.GetNamespace(), obj.GetName()}, obj, &pendingBinding{owner: owner, ownerObj: ownerObj})
	}
}

// want records b for the object k, and queues k when obj's status
// differs; when it does not, an older wish of the same owner is dropped.
func (s *statusWriter) want(k objectKey, obj client.Object, b *pendingBinding) {
	if _, differs := apply(statusOf(obj).Bindings, b); !differs {
		if m := s.pending[k]; m != nil {
			delete(m, b.owner.key())
			if len(m) == 0 {
				delete(s.pending, k)
			}
		}
		return
	}
	if s.pending[k] == nil {
		s.pending[k] = map[ownerKey]*pendingBinding{}
	}
	s.pending[k][b.owner.key()] = b
	s.queue.Add(k)
}

// apply is bindings with b applied, and whether that changed them.
func apply(bindings []monitoringv1.WorkloadBinding, b *pendingBinding) ([]monitoringv1.WorkloadBinding, bool) {
	i := slices.IndexFunc(bindings, b.owner.is)
	if b.decision == nil {
		if i < 0 {
			return bindings, false
		}
		return slices.Delete(slices.Clone(bindings), i, i+1), true
	}
	var prev []metav1.Condition
	if i >= 0 {
		prev = bindings[i].Conditions
	}
	nb := b.owner.binding(*b.decision, prev)
	if i >= 0 && equalBinding(bindings[i], nb) {
		return bindings, false
	}
	out := slices.Clone(bindings)
	if i >= 0 {
		out[i] = nb
	} else {
		out = append(out, nb)
	}
	return out, true
}

// Start runs the workers until ctx ends: a manager Runnable, which runs on
// the leader only.
func (s *statusWriter) Start(ctx context.Context) error {
	defer s.queue.ShutDown()
	for range s.workers {
		go wait.UntilWithContext(ctx, func(ctx context.Context) {
			for s.next(ctx) {
			}
		}, time.Second)
	}
	<-ctx.Done()
	return nil
}

func (s *statusWriter) next(ctx context.Context) bool {
	k, quit := s.queue.Get()
	if quit {
		return false
	}
	defer s.queue.Done(k)
	if err := s.write(ctx, k); err != nil {
		if !apierrors.IsConflict(err) {
			logf.FromContext(ctx).Error(err, "writing bindings", "kind", k.kind, "namespace", k.namespace, "name", k.name)
		}
		s.queue.AddRateLimited(k)
		return true
	}
	s.queue.Forget(k)
	return true
}

// write writes the pending bindings of one object in one status update,
// with an Event for each that now rejects it (or for another reason).
func (s *statusWriter) write(ctx context.Context, k objectKey) error {
	obj := newSelected(k.kind)
	if err := s.client.Get(ctx, types.NamespacedName{Namespace: k.namespace, Name: k.name}, obj); err != nil {
		if apierrors.IsNotFound(err) {
			s.mu.Lock()
			delete(s.pending, k)
			s.mu.Unlock()
			return nil
		}
		return err
	}
	s.mu.Lock()
	var todo []*pendingBinding
	for _, b := range s.pending[k] {
		todo = append(todo, b)
	}
	s.mu.Unlock()
	slices.SortFunc(todo, func(a, b *pendingBinding) int {
		return cmp.Or(cmp.Compare(a.owner.resource, b.owner.resource), cmp.Compare(a.owner.namespace, b.owner.namespace), cmp.Compare(a.owner.name, b.owner.name))
	})
	st := statusOf(obj)
	bindings, changed := st.Bindings, false
	var rejecting []*pendingBinding
	for _, b := range todo {
		var c bool
		if bindings, c = apply(bindings, b); c {
			changed = true
			if b.decision != nil && !b.decision.Accepted() {
				rejecting = append(rejecting, b)
			}
		}
	}
	if changed {
		st.Bindings = bindings
		if err := s.client.Status().Update(ctx, obj); err != nil {
			return err
		}
	}
	for _, b := range rejecting {
		s.recorder.Eventf(obj, b.ownerObj, corev1.EventTypeWarning, string(b.decision.Reason), "Select",
			"%s %s/%s left it out of its configuration: %s", b.owner.kind, b.owner.namespace, b.owner.name, truncate(b.decision.Message(), 1000))
	}
	// Written: drop what was written, unless a newer wish replaced it.
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range todo {
		if m := s.pending[k]; m != nil && m[b.owner.key()] == b {
			delete(m, b.owner.key())
		}
	}
	if len(s.pending[k]) == 0 {
		delete(s.pending, k)
	}
	return nil
}

// newSelected is an empty object of a kind owners select.
func newSelected(kind string) client.Object {
	switch kind {
	case "ServiceMonitor":
		return &monitoringv1.ServiceMonitor{}
	case "PodMonitor":
		return &monitoringv1.PodMonitor{}
	case "Probe":
		return &monitoringv1.Probe{}
	case rules.KindPrometheusRule:
		return &monitoringv1.PrometheusRule{}
	case "ScrapeConfig":
		return &monitoringv1alpha1.ScrapeConfig{}
	case "AlertmanagerConfig":
		return &monitoringv1alpha1.AlertmanagerConfig{}
	}
	panic(fmt.Sprintf("no bindings on a %s", kind))
}
