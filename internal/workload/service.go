package workload

import (
	"cmp"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// Ports of Alertmanager.
const (
	alertmanagerWebPort  = 9093
	alertmanagerMeshPort = 9094
	meshTCPPortName      = "mesh-tcp"
	meshUDPPortName      = "mesh-udp"
)

// PrometheusService is the governing Service prometheus-operated of the
// Prometheus objects of one namespace, all of them passed: it is one
// Service for all of them, owned by each (not as controller), so that it
// goes with the last. The web port is named after the first object's (by
// name) spec.portName. Nil when there is no object.
func PrometheusService(prometheuses []*monitoringv1.Prometheus, opts Options) *corev1.Service {
	if len(prometheuses) == 0 {
		return nil
	}
	ps := slices.SortedFunc(slices.Values(prometheuses), byName[*monitoringv1.Prometheus])
	port := orDefault(ps[0].Spec.PortName, defaultPortName)
	svc := governingService(prometheusGoverningName, ps[0].Namespace, "operated-prometheus", "prometheus", opts)
	svc.Spec.Ports = []corev1.ServicePort{{Name: port, Port: prometheusPort, TargetPort: intstr.FromString(port), Protocol: corev1.ProtocolTCP}}
	for _, p := range ps {
		svc.OwnerReferences = append(svc.OwnerReferences, ownerRef("Prometheus", p))
	}
	setInputHash(svc)
	return svc
}

// AlertmanagerService is the governing Service alertmanager-operated of the
// Alertmanager objects of one namespace, as PrometheusService is for
// Prometheus. It publishes the addresses of pods that are not ready, so
// that peers find each other while they start.
func AlertmanagerService(alertmanagers []*monitoringv1.Alertmanager, opts Options) *corev1.Service {
	if len(alertmanagers) == 0 {
		return nil
	}
	as := slices.SortedFunc(slices.Values(alertmanagers), byName[*monitoringv1.Alertmanager])
	port := orDefault(as[0].Spec.PortName, defaultPortName)
	svc := governingService(alertmanagerGoverningName, as[0].Namespace, "operated-alertmanager", "alertmanager", opts)
	svc.Spec.PublishNotReadyAddresses = true
	svc.Spec.Ports = []corev1.ServicePort{
		{Name: port, Port: alertmanagerWebPort, TargetPort: intstr.FromString(port), Protocol: corev1.ProtocolTCP},
		{Name: "tcp-mesh", Port: alertmanagerMeshPort, TargetPort: intstr.FromString(meshTCPPortName), Protocol: corev1.ProtocolTCP},
		{Name: "udp-mesh", Port: alertmanagerMeshPort, TargetPort: intstr.FromString(meshUDPPortName), Protocol: corev1.ProtocolUDP},
	}
	for _, a := range as {
		svc.OwnerReferences = append(svc.OwnerReferences, ownerRef("Alertmanager", a))
	}
	setInputHash(svc)
	return svc
}

func governingService(name, namespace, operatedLabel, app string, opts Options) *corev1.Service {
	return &corev1.Service{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{
			Name:        name,
			Namespace:   namespace,
			Labels:      merged(poManagedBy(), map[string]string{operatedLabel: "true"}, opts.Labels),
			Annotations: merged(opts.Annotations),
		},
		Spec: corev1.ServiceSpec{
			ClusterIP: corev1.ClusterIPNone,
			Selector:  map[string]string{LabelName: app},
		},
	}
}

// ownerRef is an owner reference that is not the controller's.
func ownerRef(kind string, owner metav1.Object) metav1.OwnerReference {
	return metav1.OwnerReference{APIVersion: monitoringGroupVersion.String(), Kind: kind, Name: owner.GetName(), UID: owner.GetUID()}
}

func byName[T metav1.Object](a, b T) int { return cmp.Compare(a.GetName(), b.GetName()) }
