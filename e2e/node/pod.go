package node

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/vigil-monitoring/vigil/e2e/sandbox"
)

// podRuntime is one pod on the node: its sandbox (network namespace,
// volumes, hosts file), its containers' supervisors and the status they
// report.
type podRuntime struct {
	p               *Provider
	namespace, name string
	dir             string
	prev            *podRuntime // a predecessor of the same name, still stopping

	ctx    context.Context // cancelled when the pod is to stop
	cancel context.CancelFunc
	done   chan struct{} // closed once the pod is torn down

	mu       sync.Mutex
	pod      *corev1.Pod // spec and metadata as last received
	status   corev1.PodStatus
	ctrs     []*container // init containers first, in order
	net      sandbox.PodNet
	vols     *volumes
	grace    time.Duration
	deleting bool
}

func newPodRuntime(p *Provider, pod *corev1.Pod, prev *podRuntime) *podRuntime {
	ctx, cancel := context.WithCancel(p.ctx)
	r := &podRuntime{
		p: p, namespace: pod.Namespace, name: pod.Name,
		dir:  p.podDir(string(pod.UID)),
		prev: prev, ctx: ctx, cancel: cancel, done: make(chan struct{}),
		pod:   pod,
		grace: gracePeriod(pod, nil),
	}
	now := metav1.Now()
	r.status = corev1.PodStatus{
		Phase:     corev1.PodPending,
		HostIP:    p.cfg.NodeIP.String(),
		HostIPs:   []corev1.HostIP{{IP: p.cfg.NodeIP.String()}},
		StartTime: &now,
		QOSClass:  qosClass(pod),
	}
	for i := range pod.Spec.InitContainers {
		r.ctrs = append(r.ctrs, newContainer(r, &pod.Spec.InitContainers[i], true))
	}
	for i := range pod.Spec.Containers {
		r.ctrs = append(r.ctrs, newContainer(r, &pod.Spec.Containers[i], false))
	}
	return r
}

func (r *podRuntime) uid() types.UID {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pod.UID
}

// gracePeriod is how long containers get between SIGTERM and SIGKILL.
func gracePeriod(pod *corev1.Pod, override *int64) time.Duration {
	s := int64(corev1.DefaultTerminationGracePeriodSeconds)
	if pod.Spec.TerminationGracePeriodSeconds != nil {
		s = *pod.Spec.TerminationGracePeriodSeconds
	}
	if override != nil {
		s = *override
	}
	return time.Duration(s) * time.Second
}

// run is the pod's life: wait for a predecessor, set the sandbox up, run
// the init containers one after another and then the containers, until
// the pod is stopped; then tear it down.
func (r *podRuntime) run() {
	defer close(r.done)
	if r.prev != nil {
		r.prev.stop()
		<-r.prev.done
		r.prev = nil
	}
	r.report()
	if err := r.setUp(); err == nil {
		r.runContainers()
	}
	<-r.ctx.Done()
	r.tearDown()
}

// setUp checks images, then makes the network namespace, the volumes and
// the hosts file. An image that cannot run here ends the pod's progress
// with ErrImagePull; a volume that cannot be made yet (a Secret not there)
// is retried, as a kubelet retries a mount.
func (r *podRuntime) setUp() error {
	for _, c := range r.ctrs {
		if err := c.resolveImage(); err != nil {
			r.update(func() { c.waiting("ErrImagePull", err.Error()) })
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(r.dir, "logs"), 0o755); err != nil {
		return r.fail("CreatePodSandboxError", err)
	}
	if r.pod.Spec.HostNetwork {
		r.net = sandbox.PodNet{IP: r.p.cfg.NodeIP}
	} else {
		pn, err := r.p.cfg.Network.AddPod(r.ctx, string(r.pod.UID))
		if err != nil {
			return r.fail("CreatePodSandboxError", err)
		}
		r.net = pn
	}
	r.update(func() {
		ip := r.net.IP.String()
		r.status.PodIP, r.status.PodIPs = ip, []corev1.PodIP{{IP: ip}}
	})
	r.p.hostsChanged()
	vols, err := r.waitForVolumes()
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.vols = vols
	r.mu.Unlock()
	go r.refresh()
	return nil
}

// fail reports a sandbox failure on every container that has not started.
func (r *podRuntime) fail(reason string, err error) error {
	r.update(func() {
		for _, c := range r.ctrs {
			c.waiting(reason, err.Error())
		}
	})
	return err
}

// waitForVolumes makes the pod's volumes, retrying every second while a
// source is missing.
func (r *podRuntime) waitForVolumes() (*volumes, error) {
	for {
		vols, err := r.makeVolumes()
		if err == nil {
			return vols, nil
		}
		r.update(func() {
			for _, c := range r.ctrs {
				c.waiting("ContainerCreating", err.Error())
			}
		})
		select {
		case <-r.ctx.Done():
			return nil, r.ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// refresh keeps the hosts file and the Secret, ConfigMap, projected and
// downward API volumes current while the pod runs.
func (r *podRuntime) refresh() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-r.ctx.Done():
			return
		case <-t.C:
		}
		if err := r.vols.refresh(r.ctx); err != nil && r.ctx.Err() == nil {
			logf(r, "Refreshing volumes: %v", err)
		}
	}
}

// runContainers runs the init containers in order, each to success, then
// starts every container. A sidecar (an init container with restartPolicy
// Always) is started and left running.
func (r *podRuntime) runContainers() {
	for _, c := range r.ctrs {
		if !c.init {
			continue
		}
		if c.sidecar() {
			go c.supervise()
			continue
		}
		if !c.runToCompletion() {
			return
		}
	}
	r.update(func() {})
	for _, c := range r.ctrs {
		if !c.init {
			go c.supervise()
		}
	}
}

// stop makes the pod stop, as when the node shuts down.
func (r *podRuntime) stop() { r.cancel() }

// delete stops the pod within the grace period the deletion asked for.
func (r *podRuntime) delete(grace *int64) {
	r.mu.Lock()
	first := !r.deleting
	r.deleting = true
	if grace != nil {
		r.grace = gracePeriod(r.pod, grace)
	}
	r.mu.Unlock()
	r.cancel()
	if first {
		go r.remove()
	}
}

// remove waits for the teardown and then deletes the pod from the API
// server at once (a kubelet's final delete, UID-guarded so that a
// replacement of the same name is never hit).
func (r *podRuntime) remove() {
	<-r.done
	defer r.p.forget(r)
	uid := r.uid()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := r.p.cfg.Client.CoreV1().Pods(r.namespace).Delete(ctx, r.name, metav1.DeleteOptions{
		GracePeriodSeconds: new(int64),
		Preconditions:      metav1.NewUIDPreconditions(string(uid)),
	})
	if err != nil && !isGone(err) {
		logf(r, "Removing the deleted pod: %v", err)
	}
}

// tearDown stops the containers (SIGTERM, then SIGKILL after the grace
// period), then removes the network namespace and the pod's files.
func (r *podRuntime) tearDown() {
	r.mu.Lock()
	grace := r.grace
	r.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range r.ctrs {
		wg.Add(1)
		go func(c *container) {
			defer wg.Done()
			c.signal(syscall.SIGTERM)
			c.awaitStop(grace)
		}(c)
	}
	wg.Wait()
	uid := string(r.uid())
	if err := sandbox.KillGroup(uid); err != nil {
		logf(r, "Killing the pod's processes: %v", err)
	}
	for _, c := range r.ctrs {
		c.awaitStop(5 * time.Second)
	}
	if !r.pod.Spec.HostNetwork && r.net.IP != nil {
		if err := r.p.cfg.Network.RemovePod(context.Background(), uid); err != nil {
			logf(r, "Removing the pod's network: %v", err)
		}
	}
	r.mu.Lock()
	deleting := r.deleting
	r.mu.Unlock()
	if deleting {
		// A pod the node only stops (it shuts down) keeps its last status:
		// a terminal phase would make its controller replace it.
		r.update(func() {
			for _, c := range r.ctrs {
				c.terminatedIfRunning()
			}
			r.status.Phase = terminalPhase(r.pod, r.ctrs)
		})
	}
	r.p.hostsChanged()
	if err := os.RemoveAll(r.dir); err != nil {
		logf(r, "Removing the pod's files: %v", err)
	}
}

// update changes the pod's state under its lock, recomputes the status
// and sends it to the API server through virtual-kubelet.
func (r *podRuntime) update(change func()) {
	r.mu.Lock()
	change()
	r.mu.Unlock()
	r.report()
}

func (r *podRuntime) report() {
	r.p.notifier()(r.snapshot())
}

// snapshot is the pod as last received, with the node's status.
func (r *podRuntime) snapshot() *corev1.Pod {
	r.mu.Lock()
	defer r.mu.Unlock()
	pod := r.pod.DeepCopy()
	pod.Status = r.computeStatus()
	return pod
}

func (r *podRuntime) updateMeta(pod *corev1.Pod) {
	r.update(func() {
		r.pod.Labels = pod.Labels
		r.pod.Annotations = pod.Annotations
	})
}

// errNotRunning is returned for streams of a container with no process.
var errNotRunning = errors.New("container is not running")

func (r *podRuntime) container(name string) (*container, error) {
	for _, c := range r.ctrs {
		if c.spec.Name == name || name == "" && !c.init {
			return c, nil
		}
	}
	return nil, fmt.Errorf("pod %s/%s has no container %q", r.namespace, r.name, name)
}

// isGone says a pod delete found nothing to delete: the pod is gone, or
// the name now belongs to a replacement (the UID precondition failed).
func isGone(err error) bool {
	return apierrors.IsNotFound(err) || apierrors.IsConflict(err)
}
