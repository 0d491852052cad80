package node

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"sync"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/client-go/kubernetes"
	corev1listers "k8s.io/client-go/listers/core/v1"
	"k8s.io/klog/v2"

	"github.com/virtual-kubelet/virtual-kubelet/errdefs"

	"github.com/vigil-monitoring/vigil/e2e/sandbox"
)

// Config is what the provider needs from the node binary.
type Config struct {
	NodeName string
	// NodeIP is the node's address: the pod bridge's gateway, where the
	// API server and the kubelet API listen, and hostNetwork pods' IP.
	NodeIP net.IP
	// StateDir holds each pod's volumes, logs and files.
	StateDir string
	// APIServerHost and APIServerPort go into every container's
	// KUBERNETES_SERVICE_HOST and _PORT.
	APIServerHost string
	APIServerPort int
	Images        Images
	Network       *sandbox.Network
	Client        kubernetes.Interface
	Secrets       corev1listers.SecretLister
	ConfigMaps    corev1listers.ConfigMapLister
	// CPU and Memory are the node's allocatable resources.
	CPU, Memory resource.Quantity
}

// Provider runs the pods bound to its node as processes (a virtual-kubelet
// PodLifecycleHandler and PodNotifier).
type Provider struct {
	cfg Config
	env envSources

	mu       sync.Mutex
	pods     map[string]*podRuntime // by namespace/name
	notify   func(*corev1.Pod)
	ctx      context.Context
	stopping bool // Shutdown began: no pod starts any more
}

// New returns a provider; ctx bounds the pods' lifetimes (Shutdown stops
// them all).
func New(ctx context.Context, cfg Config) *Provider {
	return &Provider{
		cfg:  cfg,
		ctx:  ctx,
		pods: map[string]*podRuntime{},
		env: envSources{
			secrets: cfg.Secrets, configMaps: cfg.ConfigMaps,
			apiHost: cfg.APIServerHost, apiPort: cfg.APIServerPort,
			nodeCPU: cfg.CPU, nodeMemory: cfg.Memory,
		},
		notify: func(*corev1.Pod) {},
	}
}

func key(namespace, name string) string { return namespace + "/" + name }

// CreatePod starts the pod's lifecycle; it returns at once, and the pod's
// progress arrives through NotifyPods.
func (p *Provider) CreatePod(ctx context.Context, pod *corev1.Pod) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopping {
		return fmt.Errorf("node %s is shutting down", p.cfg.NodeName)
	}
	k := key(pod.Namespace, pod.Name)
	old := p.pods[k]
	if old != nil && old.uid() == pod.UID {
		return nil
	}
	// A pod whose predecessor of the same name is still stopping (a
	// StatefulSet's replacement) starts once the old one is gone.
	r := newPodRuntime(p, pod.DeepCopy(), old)
	p.pods[k] = r
	go r.run()
	return nil
}

// UpdatePod takes the pod's new labels and annotations (which the downward
// API volumes show); the rest of a running pod's spec cannot change.
func (p *Provider) UpdatePod(ctx context.Context, pod *corev1.Pod) error {
	r := p.get(pod.Namespace, pod.Name)
	if r == nil || r.uid() != pod.UID {
		return p.CreatePod(ctx, pod)
	}
	r.updateMeta(pod)
	return nil
}

// DeletePod stops the pod's containers within its grace period, tears its
// sandbox down and then removes the pod from the API server.
func (p *Provider) DeletePod(ctx context.Context, pod *corev1.Pod) error {
	r := p.get(pod.Namespace, pod.Name)
	if r == nil || r.uid() != pod.UID {
		return errdefs.NotFoundf("pod %s/%s is not on this node", pod.Namespace, pod.Name)
	}
	r.delete(pod.DeletionGracePeriodSeconds)
	return nil
}

// forget drops a pod that has been torn down and removed.
func (p *Provider) forget(r *podRuntime) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := key(r.namespace, r.name)
	if p.pods[k] == r {
		delete(p.pods, k)
	}
}

func (p *Provider) get(namespace, name string) *podRuntime {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pods[key(namespace, name)]
}

func (p *Provider) list() []*podRuntime {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*podRuntime, 0, len(p.pods))
	for _, r := range p.pods {
		out = append(out, r)
	}
	return out
}

// GetPod returns the pod with the status the node last reported.
func (p *Provider) GetPod(ctx context.Context, namespace, name string) (*corev1.Pod, error) {
	r := p.get(namespace, name)
	if r == nil {
		return nil, errdefs.NotFoundf("pod %s/%s is not on this node", namespace, name)
	}
	return r.snapshot(), nil
}

// GetPodStatus returns the pod's status.
func (p *Provider) GetPodStatus(ctx context.Context, namespace, name string) (*corev1.PodStatus, error) {
	pod, err := p.GetPod(ctx, namespace, name)
	if err != nil {
		return nil, err
	}
	return &pod.Status, nil
}

// GetPods returns every pod on the node.
func (p *Provider) GetPods(ctx context.Context) ([]*corev1.Pod, error) {
	var out []*corev1.Pod
	for _, r := range p.list() {
		out = append(out, r.snapshot())
	}
	return out, nil
}

// NotifyPods registers the callback that takes every status change.
func (p *Provider) NotifyPods(ctx context.Context, f func(*corev1.Pod)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notify = f
}

func (p *Provider) notifier() func(*corev1.Pod) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.notify
}

// Shutdown stops every pod (processes, network, mounts) without removing
// them from the API server: the node is going away, not the pods.
func (p *Provider) Shutdown() {
	p.mu.Lock()
	p.stopping = true
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, r := range p.list() {
		wg.Add(1)
		go func(r *podRuntime) {
			defer wg.Done()
			r.stop()
			<-r.done
		}(r)
	}
	wg.Wait()
}

// podDir is where a pod's volumes, logs and files live on the node.
func (p *Provider) podDir(uid string) string {
	return filepath.Join(p.cfg.StateDir, "pods", uid)
}

// logf logs through klog with the pod's key.
func logf(r *podRuntime, format string, args ...any) {
	klog.InfoS(fmt.Sprintf(format, args...), "pod", klog.KRef(r.namespace, r.name))
}
