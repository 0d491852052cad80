package workload

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// statefulSetShape is what makes a Prometheus or an Alertmanager
// StatefulSet, beyond the pod each builds.
type statefulSetShape struct {
	meta      metav1.ObjectMeta
	common    *monitoringv1.CommonWorkloadFields
	replicas  int32
	selector  map[string]string
	governing string
	// podLabels are the builder's own; the spec's podMetadata labels, the
	// selector and the operator's labels are added to them.
	podLabels map[string]string
	// podAnnotations are the pod's, complete (each kind has its own
	// precedence between podMetadata and its defaults).
	podAnnotations map[string]string
	st             storage
	pod            corev1.PodSpec
	opts           Options
}

// statefulSet puts the pod with its storage and the spec's volumes into
// the StatefulSet both kinds share: labels and annotations in Prometheus
// Operator's precedence, its update and pod management policies, the
// claim template when the storage asks for one.
func statefulSet(s statefulSetShape) *appsv1.StatefulSet {
	pod := s.pod
	if s.st.volume != nil {
		pod.Volumes = append(pod.Volumes, *s.st.volume)
	}
	pod.Volumes = append(pod.Volumes, s.common.Volumes...)
	podMeta := podMetadata(s.common)
	sts := &appsv1.StatefulSet{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
		ObjectMeta: s.meta,
		Spec: appsv1.StatefulSetSpec{
			Replicas:            ptr(s.replicas),
			Selector:            &metav1.LabelSelector{MatchLabels: s.selector},
			ServiceName:         s.governing,
			PodManagementPolicy: appsv1.PodManagementPolicyType(deref(s.common.PodManagementPolicy, podManagementPolicyDefault)),
			UpdateStrategy:      appsv1.StatefulSetUpdateStrategy{Type: appsv1.RollingUpdateStatefulSetStrategyType},
			MinReadySeconds:     deref(s.common.MinReadySeconds, 0),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{
					Labels:      merged(s.podLabels, podMeta.Labels, s.selector, s.opts.Labels),
					Annotations: s.podAnnotations,
				},
				Spec: pod,
			},
			PersistentVolumeClaimRetentionPolicy: s.common.PersistentVolumeClaimRetentionPolicy,
		},
	}
	if s.st.claim != nil {
		sts.Spec.VolumeClaimTemplates = []corev1.PersistentVolumeClaim{*s.st.claim}
	}
	return sts
}

// podMetadata is the spec's podMetadata, empty when unset.
func podMetadata(c *monitoringv1.CommonWorkloadFields) monitoringv1.EmbeddedObjectMetadata {
	if c.PodMetadata != nil {
		return *c.PodMetadata
	}
	return monitoringv1.EmbeddedObjectMetadata{}
}

// podWith is the pod both kinds run: the server and the config-reloader
// sidecar, the reloader's init container, each list merged with the
// spec's containers and initContainers by name, the volumes, and the pod
// fields the spec shares (commonPodSpec).
func podWith(common *monitoringv1.CommonWorkloadFields, server, sidecar, initReloader corev1.Container, volumes []corev1.Volume) (corev1.PodSpec, error) {
	containers, err := mergeContainers("spec.containers", []corev1.Container{server, sidecar}, common.Containers)
	if err != nil {
		return corev1.PodSpec{}, err
	}
	initContainers, err := mergeContainers("spec.initContainers", []corev1.Container{initReloader}, common.InitContainers)
	if err != nil {
		return corev1.PodSpec{}, err
	}
	pod := commonPodSpec(common)
	pod.Containers = containers
	pod.InitContainers = initContainers
	pod.Volumes = volumes
	return pod, nil
}
