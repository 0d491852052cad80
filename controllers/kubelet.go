package controllers

import (
	"context"
	"fmt"
	"net/netip"
	"slices"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/vigil-monitoring/vigil/internal/workload"
)

// The kubelet's ports, as Prometheus Operator publishes them:
// kube-prometheus's kubelet ServiceMonitor scrapes https-metrics.
var kubeletPorts = []struct {
	name string
	port int32
}{{"https-metrics", 10250}, {"http-metrics", 10255}, {"cadvisor", 4194}}

// KubeletReconciler keeps a headless Service, its Endpoints and an
// EndpointSlice listing every Node's kubelet, as Prometheus Operator's
// --kubelet-service does: kube-prometheus's kubelet ServiceMonitor
// (cAdvisor, probes, the node label of every container dashboard) finds
// the kubelets through them.
type KubeletReconciler struct {
	Client client.Client
	// APIReader reads an object of the Service's name that the cache does
	// not hold (see apply); the manager's when nil.
	APIReader client.Reader
	// Service is the Service's namespace and name, kube-system/kubelet.
	Service types.NamespacedName
	Metrics *Metrics
}

// +kubebuilder:rbac:groups="",resources=nodes,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=endpoints,verbs=get;list;watch;create;update
// +kubebuilder:rbac:groups=discovery.k8s.io,resources=endpointslices,verbs=get;list;watch;create;update;delete

// Reconcile writes the three objects from the Nodes, each only when it
// differs.
func (r *KubeletReconciler) Reconcile(ctx context.Context, _ ctrl.Request) (ctrl.Result, error) {
	var nodes corev1.NodeList
	if err := r.Client.List(ctx, &nodes); err != nil {
		return ctrl.Result{}, err
	}
	addrs := kubeletAddresses(nodes.Items)
	// managed-by: the manager caches only managed objects (see managed).
	labels := map[string]string{"k8s-app": "kubelet", workload.LabelName: "kubelet", workload.LabelManagedBy: workload.ManagedByVigil}
	meta := func(extra map[string]string) metav1.ObjectMeta {
		l := map[string]string{}
		for k, v := range labels {
			l[k] = v
		}
		for k, v := range extra {
			l[k] = v
		}
		return metav1.ObjectMeta{Namespace: r.Service.Namespace, Name: r.Service.Name, Labels: l}
	}

	svc := &corev1.Service{ObjectMeta: meta(nil), Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeClusterIP, ClusterIP: corev1.ClusterIPNone}}
	//nolint:staticcheck // kube-prometheus's ServiceMonitors discover Endpoints by default.
	eps := &corev1.Endpoints{ObjectMeta: meta(map[string]string{discoveryv1.LabelSkipMirror: "true"})}
	slice := &discoveryv1.EndpointSlice{ObjectMeta: meta(map[string]string{discoveryv1.LabelServiceName: r.Service.Name}), AddressType: discoveryv1.AddressTypeIPv4}
	//nolint:staticcheck // as above
	subset := corev1.EndpointSubset{}
	for _, p := range kubeletPorts {
		svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{Name: p.name, Port: p.port, Protocol: corev1.ProtocolTCP})
		subset.Ports = append(subset.Ports, corev1.EndpointPort{Name: p.name, Port: p.port, Protocol: corev1.ProtocolTCP})
		slice.Ports = append(slice.Ports, discoveryv1.EndpointPort{Name: ptrTo(p.name), Port: ptrTo(p.port), Protocol: ptrTo(corev1.ProtocolTCP)})
	}
	for _, a := range addrs {
		ref := &corev1.ObjectReference{Kind: "Node", APIVersion: "v1", Name: a.node, UID: a.uid}
		subset.Addresses = append(subset.Addresses, corev1.EndpointAddress{IP: a.ip, NodeName: ptrTo(a.node), TargetRef: ref})
		slice.Endpoints = append(slice.Endpoints, discoveryv1.Endpoint{Addresses: []string{a.ip}, NodeName: ptrTo(a.node), TargetRef: ref,
			Conditions: discoveryv1.EndpointConditions{Ready: ptrTo(true)}})
	}
	if len(subset.Addresses) > 0 {
		eps.Subsets = []corev1.EndpointSubset{subset}
	}
	w := &writer{client: r.Client, reader: r.APIReader, metrics: r.Metrics}
	for _, o := range []client.Object{svc, eps, slice} {
		workload.SetInputHash(o)
		if err := w.apply(ctx, r.Client, o); err != nil {
			return ctrl.Result{}, fmt.Errorf("%T %s: %w", o, r.Service, err)
		}
	}
	return ctrl.Result{}, nil
}

// kubeletAddress is one Node's kubelet.
type kubeletAddress struct {
	node, ip string
	uid      types.UID
}

// kubeletAddresses are the IPv4 InternalIP (else ExternalIP) of every
// Node whose kubelet has reported readiness (a Ready condition that is not
// Unknown), sorted by Node name.
func kubeletAddresses(nodes []corev1.Node) []kubeletAddress {
	var out []kubeletAddress
	for _, n := range nodes {
		if !slices.ContainsFunc(n.Status.Conditions, func(c corev1.NodeCondition) bool {
			return c.Type == corev1.NodeReady && c.Status != corev1.ConditionUnknown
		}) {
			continue
		}
		if ip := nodeIP(n.Status.Addresses); ip != "" {
			out = append(out, kubeletAddress{node: n.Name, ip: ip, uid: n.UID})
		}
	}
	slices.SortFunc(out, func(a, b kubeletAddress) int { return compareStrings(a.node, b.node) })
	return out
}

func nodeIP(addrs []corev1.NodeAddress) string {
	for _, t := range []corev1.NodeAddressType{corev1.NodeInternalIP, corev1.NodeExternalIP} {
		for _, a := range addrs {
			if ip, err := netip.ParseAddr(a.Address); a.Type == t && err == nil && ip.Is4() {
				return a.Address
			}
		}
	}
	return ""
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// SetupWithManager watches the Nodes; any change reconciles the one
// Service.
func (r *KubeletReconciler) SetupWithManager(mgr ctrl.Manager) error {
	if r.Metrics == nil {
		r.Metrics = NewMetrics(nil)
	}
	if r.APIReader == nil {
		r.APIReader = mgr.GetAPIReader()
	}
	one := func(context.Context, client.Object) []reconcile.Request {
		return []reconcile.Request{{NamespacedName: r.Service}}
	}
	return ctrl.NewControllerManagedBy(mgr).
		Named("kubelet").
		Watches(&corev1.Node{}, handler.EnqueueRequestsFromMapFunc(one)).
		Watches(&corev1.Service{}, handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, o client.Object) []reconcile.Request {
			if client.ObjectKeyFromObject(o) == r.Service {
				return one(ctx, o)
			}
			return nil
		})).
		Complete(r)
}

func ptrTo[T any](v T) *T { return &v }
