package workload

import (
	"testing"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// promCase sets spec fields and checks the pod, as Prometheus Operator
// 0.93 builds it for the same fields (pkg/prometheus/server/statefulset.go
// and pkg/prometheus/common.go) unless the package documentation says
// otherwise.
type promCase struct {
	name  string
	set   func(*monitoringv1.Prometheus)
	check func(t *testing.T, g Gomega, sts *appsv1.StatefulSet, pod *corev1.PodSpec)
}

func runPromCases(t *testing.T, cases []promCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := buildProm(t, prom(c.set), Options{})
			c.check(t, NewWithT(t), w.StatefulSets[0], &w.StatefulSets[0].Spec.Template.Spec)
		})
	}
}

func TestPrometheusPodFields(t *testing.T) {
	mem := resource.MustParse("2Gi")
	runPromCases(t, []promCase{
		{"resources go to the prometheus container", func(p *monitoringv1.Prometheus) {
			p.Spec.Resources = corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceMemory: mem}}
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(container(t, pod, "prometheus").Resources.Requests).To(Equal(corev1.ResourceList{corev1.ResourceMemory: mem}))
		}},
		{"securityContext unset: uid 1000, fsGroup 2000, non-root", nil, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(pod.SecurityContext).To(Equal(&corev1.PodSecurityContext{RunAsUser: ptr(int64(1000)), RunAsNonRoot: ptr(true), FSGroup: ptr(int64(2000))}))
		}},
		{"securityContext set is kept as it is", func(p *monitoringv1.Prometheus) {
			p.Spec.SecurityContext = &corev1.PodSecurityContext{RunAsUser: ptr(int64(65534))}
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(pod.SecurityContext).To(Equal(&corev1.PodSecurityContext{RunAsUser: ptr(int64(65534))}))
		}},
		{"scheduling fields", func(p *monitoringv1.Prometheus) {
			p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"a"}}}}},
			}}}
			p.Spec.Tolerations = []corev1.Toleration{{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "monitoring", Effect: corev1.TaintEffectNoSchedule}}
			p.Spec.NodeSelector = map[string]string{"kubernetes.io/os": "linux"}
			p.Spec.PriorityClassName = "system-cluster-critical"
			p.Spec.SchedulerName = "custom"
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(pod.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0].Key).To(Equal("zone"))
			g.Expect(pod.Tolerations).To(Equal([]corev1.Toleration{{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "monitoring", Effect: corev1.TaintEffectNoSchedule}}))
			g.Expect(pod.NodeSelector).To(Equal(map[string]string{"kubernetes.io/os": "linux"}))
			g.Expect(pod.PriorityClassName).To(Equal("system-cluster-critical"))
			g.Expect(pod.SchedulerName).To(Equal("custom"))
		}},
		{"serviceAccountName, imagePullSecrets, imagePullPolicy", func(p *monitoringv1.Prometheus) {
			p.Spec.ServiceAccountName = "prometheus-main"
			p.Spec.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "regcred"}}
			p.Spec.ImagePullPolicy = corev1.PullAlways
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(pod.ServiceAccountName).To(Equal("prometheus-main"))
			g.Expect(pod.ImagePullSecrets).To(Equal([]corev1.LocalObjectReference{{Name: "regcred"}}))
			for _, n := range []string{"prometheus", "config-reloader", "init-config-reloader"} {
				g.Expect(container(t, pod, n).ImagePullPolicy).To(Equal(corev1.PullAlways), n)
			}
		}},
		{"hostAliases, hostNetwork picks ClusterFirstWithHostNet", func(p *monitoringv1.Prometheus) {
			p.Spec.HostAliases = []monitoringv1.HostAlias{{IP: "10.0.0.1", Hostnames: []string{"a.local"}}}
			p.Spec.HostNetwork = true
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(pod.HostAliases).To(Equal([]corev1.HostAlias{{IP: "10.0.0.1", Hostnames: []string{"a.local"}}}))
			g.Expect(pod.HostNetwork).To(BeTrue())
			g.Expect(pod.DNSPolicy).To(Equal(corev1.DNSClusterFirstWithHostNet))
		}},
		{"dnsPolicy wins over hostNetwork's; dnsConfig", func(p *monitoringv1.Prometheus) {
			p.Spec.HostNetwork = true
			p.Spec.DNSPolicy = ptr(monitoringv1.DNSPolicy("None"))
			p.Spec.DNSConfig = &monitoringv1.PodDNSConfig{Nameservers: []string{"1.1.1.1"}, Searches: []string{"svc"}, Options: []monitoringv1.PodDNSConfigOption{{Name: "ndots", Value: ptr("2")}}}
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(pod.DNSPolicy).To(Equal(corev1.DNSNone))
			g.Expect(pod.DNSConfig).To(Equal(&corev1.PodDNSConfig{Nameservers: []string{"1.1.1.1"}, Searches: []string{"svc"}, Options: []corev1.PodDNSConfigOption{{Name: "ndots", Value: ptr("2")}}}))
		}},
		{"automountServiceAccountToken defaults to true, enableServiceLinks and hostUsers pass", func(p *monitoringv1.Prometheus) {
			p.Spec.EnableServiceLinks = ptr(false)
			p.Spec.HostUsers = ptr(false)
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(pod.AutomountServiceAccountToken).To(Equal(ptr(true)))
			g.Expect(pod.EnableServiceLinks).To(Equal(ptr(false)))
			g.Expect(pod.HostUsers).To(Equal(ptr(false)))
		}},
		{"automountServiceAccountToken false; the config-reloader keeps its own token", func(p *monitoringv1.Prometheus) {
			p.Spec.AutomountServiceAccountToken = ptr(false)
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(pod.AutomountServiceAccountToken).To(Equal(ptr(false)))
			g.Expect(volume(pod, "reloader-api-access").Projected.Sources[0].ServiceAccountToken.Path).To(Equal("token"))
			for _, n := range []string{"config-reloader", "init-config-reloader"} {
				g.Expect(mount(container(t, pod, n), "/var/run/secrets/kubernetes.io/serviceaccount")).NotTo(BeNil())
			}
			g.Expect(mount(container(t, pod, "prometheus"), "/var/run/secrets/kubernetes.io/serviceaccount")).To(BeNil())
		}},
		{"terminationGracePeriodSeconds defaults to 600", nil, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(pod.TerminationGracePeriodSeconds).To(Equal(ptr(int64(600))))
		}},
		{"terminationGracePeriodSeconds set", func(p *monitoringv1.Prometheus) { p.Spec.TerminationGracePeriodSeconds = ptr(int64(30)) },
			func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
				g.Expect(pod.TerminationGracePeriodSeconds).To(Equal(ptr(int64(30))))
			}},
		{"secrets and configMaps are mounted read-only under /etc/prometheus", func(p *monitoringv1.Prometheus) {
			p.Spec.Secrets = []string{"etcd-certs"}
			p.Spec.ConfigMaps = []string{"Extra.Files"}
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(volume(pod, "secret-etcd-certs").Secret.SecretName).To(Equal("etcd-certs"))
			g.Expect(volume(pod, "configmap-extra-files").ConfigMap.Name).To(Equal("Extra.Files"))
			c := container(t, pod, "prometheus")
			g.Expect(*mount(c, "/etc/prometheus/secrets/etcd-certs")).To(Equal(corev1.VolumeMount{Name: "secret-etcd-certs", ReadOnly: true, MountPath: "/etc/prometheus/secrets/etcd-certs"}))
			g.Expect(*mount(c, "/etc/prometheus/configmaps/Extra.Files")).To(Equal(corev1.VolumeMount{Name: "configmap-extra-files", ReadOnly: true, MountPath: "/etc/prometheus/configmaps/Extra.Files"}))
		}},
		{"volumes and volumeMounts come after the generated ones", func(p *monitoringv1.Prometheus) {
			p.Spec.Volumes = []corev1.Volume{{Name: "extra", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
			p.Spec.VolumeMounts = []corev1.VolumeMount{{Name: "extra", MountPath: "/extra"}}
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(volumeNames(pod)).To(Equal([]string{"config-out", "rules", "web-config", "reloader-api-access", "prometheus-main-db", "extra"}))
			var paths []string
			for _, m := range container(t, pod, "prometheus").VolumeMounts {
				paths = append(paths, m.MountPath)
			}
			g.Expect(paths).To(Equal([]string{"/etc/prometheus/config_out", "/prometheus", "/extra", "/etc/prometheus/rules", "/etc/prometheus/web_config/web-config.yaml"}))
		}},
		{"portName names the web port and the probes' port", func(p *monitoringv1.Prometheus) { p.Spec.PortName = "http-web" },
			func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
				c := container(t, pod, "prometheus")
				g.Expect(c.Ports).To(Equal([]corev1.ContainerPort{{Name: "http-web", ContainerPort: 9090, Protocol: corev1.ProtocolTCP}}))
				g.Expect(c.ReadinessProbe.HTTPGet.Port).To(Equal(intstr.FromString("http-web")))
			}},
		{"podMetadata adds labels and annotations; Vigil's labels win", func(p *monitoringv1.Prometheus) {
			p.Spec.PodMetadata = &monitoringv1.EmbeddedObjectMetadata{
				Labels:      map[string]string{"team": "a", "prometheus": "other", "app.kubernetes.io/version": "x"},
				Annotations: map[string]string{"note": "n"},
			}
		}, func(t *testing.T, g Gomega, sts *appsv1.StatefulSet, _ *corev1.PodSpec) {
			m := sts.Spec.Template.ObjectMeta
			g.Expect(m.Labels).To(Equal(map[string]string{
				"team": "a", "prometheus": "main", "app.kubernetes.io/version": "x",
				"app.kubernetes.io/name": "prometheus", "app.kubernetes.io/instance": "main", "app.kubernetes.io/managed-by": "prometheus-operator",
				"operator.prometheus.io/name": "main", "operator.prometheus.io/shard": "0",
			}))
			g.Expect(m.Annotations).To(Equal(map[string]string{"note": "n", "kubectl.kubernetes.io/default-container": "prometheus"}))
		}},
		{"topologySpreadConstraints: OnResource adds the object's labels, OnShard the shard's too", func(p *monitoringv1.Prometheus) {
			base := corev1.TopologySpreadConstraint{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: corev1.DoNotSchedule}
			withSel := base
			withSel.LabelSelector = &metav1.LabelSelector{MatchLabels: map[string]string{"team": "a"}}
			p.Spec.TopologySpreadConstraints = []monitoringv1.TopologySpreadConstraint{
				{TopologySpreadConstraint: base},
				{TopologySpreadConstraint: withSel, AdditionalLabelSelectors: ptr(monitoringv1.ResourceNameLabelSelector)},
				{TopologySpreadConstraint: base, AdditionalLabelSelectors: ptr(monitoringv1.ShardAndResourceNameLabelSelector)},
			}
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			tsc := pod.TopologySpreadConstraints
			g.Expect(tsc).To(HaveLen(3))
			g.Expect(tsc[0].LabelSelector).To(BeNil())
			object := map[string]string{
				"app.kubernetes.io/name": "prometheus", "app.kubernetes.io/instance": "main", "app.kubernetes.io/managed-by": "prometheus-operator",
				"operator.prometheus.io/name": "main", "prometheus": "main",
			}
			g.Expect(tsc[1].LabelSelector.MatchLabels).To(Equal(merged(object, map[string]string{"team": "a"})))
			g.Expect(tsc[2].LabelSelector.MatchLabels).To(Equal(merged(object, map[string]string{"operator.prometheus.io/shard": "0"})))
		}},
		{"minReadySeconds, replicas, podManagementPolicy, persistentVolumeClaimRetentionPolicy", func(p *monitoringv1.Prometheus) {
			p.Spec.MinReadySeconds = ptr(int32(15))
			p.Spec.Replicas = ptr(int32(3))
			p.Spec.PodManagementPolicy = ptr(monitoringv1.OrderedReadyPodManagement)
			p.Spec.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{WhenDeleted: appsv1.DeletePersistentVolumeClaimRetentionPolicyType}
		}, func(t *testing.T, g Gomega, sts *appsv1.StatefulSet, _ *corev1.PodSpec) {
			g.Expect(sts.Spec.MinReadySeconds).To(Equal(int32(15)))
			g.Expect(sts.Spec.Replicas).To(Equal(ptr(int32(3))))
			g.Expect(sts.Spec.PodManagementPolicy).To(Equal(appsv1.OrderedReadyPodManagement))
			g.Expect(sts.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted).To(Equal(appsv1.DeletePersistentVolumeClaimRetentionPolicyType))
		}},
		{"unset replicas, podManagementPolicy: 1, Parallel", nil, func(t *testing.T, g Gomega, sts *appsv1.StatefulSet, _ *corev1.PodSpec) {
			g.Expect(sts.Spec.Replicas).To(Equal(ptr(int32(1))))
			g.Expect(sts.Spec.PodManagementPolicy).To(Equal(appsv1.ParallelPodManagement))
			g.Expect(sts.Spec.ServiceName).To(Equal("prometheus-operated"))
			g.Expect(sts.Spec.UpdateStrategy.Type).To(Equal(appsv1.RollingUpdateStatefulSetStrategyType))
		}},
		{"negative replicas run one, as in Prometheus Operator", func(p *monitoringv1.Prometheus) { p.Spec.Replicas = ptr(int32(-1)) },
			func(t *testing.T, g Gomega, sts *appsv1.StatefulSet, _ *corev1.PodSpec) {
				g.Expect(sts.Spec.Replicas).To(Equal(ptr(int32(1))))
			}},
		{"zero replicas stay zero", func(p *monitoringv1.Prometheus) { p.Spec.Replicas = ptr(int32(0)) },
			func(t *testing.T, g Gomega, sts *appsv1.StatefulSet, _ *corev1.PodSpec) {
				g.Expect(sts.Spec.Replicas).To(Equal(ptr(int32(0))))
			}},
	})
}

func TestPrometheusStorage(t *testing.T) {
	size := resource.MustParse("1Gi")
	runPromCases(t, []promCase{
		{"none: an emptyDir, mounted whole", nil, func(t *testing.T, g Gomega, sts *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(*volume(pod, "prometheus-main-db")).To(Equal(corev1.Volume{Name: "prometheus-main-db", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}))
			g.Expect(*mount(container(t, pod, "prometheus"), "/prometheus")).To(Equal(corev1.VolumeMount{Name: "prometheus-main-db", MountPath: "/prometheus"}))
			g.Expect(sts.Spec.VolumeClaimTemplates).To(BeEmpty())
		}},
		{"emptyDir options, data in the prometheus-db folder", func(p *monitoringv1.Prometheus) {
			p.Spec.Storage = &monitoringv1.StorageSpec{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory, SizeLimit: &size}}
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(volume(pod, "prometheus-main-db").EmptyDir).To(Equal(&corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory, SizeLimit: &size}))
			g.Expect(mount(container(t, pod, "prometheus"), "/prometheus").SubPath).To(Equal("prometheus-db"))
		}},
		{"disableMountSubPath mounts the volume whole", func(p *monitoringv1.Prometheus) {
			p.Spec.Storage = &monitoringv1.StorageSpec{DisableMountSubPath: true, EmptyDir: &corev1.EmptyDirVolumeSource{}}
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(mount(container(t, pod, "prometheus"), "/prometheus").SubPath).To(BeEmpty())
		}},
		{"ephemeral", func(p *monitoringv1.Prometheus) {
			p.Spec.Storage = &monitoringv1.StorageSpec{Ephemeral: &corev1.EphemeralVolumeSource{VolumeClaimTemplate: &corev1.PersistentVolumeClaimTemplate{
				Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}},
			}}}
		}, func(t *testing.T, g Gomega, _ *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(volume(pod, "prometheus-main-db").Ephemeral.VolumeClaimTemplate.Spec.AccessModes).To(ConsistOf(corev1.ReadWriteOnce))
		}},
		{"volumeClaimTemplate: a claim per pod, ReadWriteOnce by default", func(p *monitoringv1.Prometheus) {
			p.Spec.Storage = &monitoringv1.StorageSpec{VolumeClaimTemplate: &monitoringv1.EmbeddedPersistentVolumeClaim{
				Metadata: monitoringv1.EmbeddedObjectMetadata{Labels: map[string]string{"backup": "yes"}},
				Spec: corev1.PersistentVolumeClaimSpec{
					StorageClassName: ptr("fast"),
					Resources:        corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: size}},
				},
			}}
		}, func(t *testing.T, g Gomega, sts *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(sts.Spec.VolumeClaimTemplates).To(HaveLen(1))
			c := sts.Spec.VolumeClaimTemplates[0]
			g.Expect(c.Name).To(Equal("prometheus-main-db"))
			g.Expect(c.Labels).To(Equal(map[string]string{"backup": "yes"}))
			g.Expect(c.Spec.AccessModes).To(Equal([]corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}))
			g.Expect(c.Spec.StorageClassName).To(Equal(ptr("fast")))
			g.Expect(c.Spec.Resources.Requests).To(Equal(corev1.ResourceList{corev1.ResourceStorage: size}))
			g.Expect(volume(pod, "prometheus-main-db")).To(BeNil())
			g.Expect(*mount(container(t, pod, "prometheus"), "/prometheus")).To(Equal(corev1.VolumeMount{Name: "prometheus-main-db", MountPath: "/prometheus", SubPath: "prometheus-db"}))
		}},
		{"volumeClaimTemplate with a name and access modes", func(p *monitoringv1.Prometheus) {
			p.Spec.Storage = &monitoringv1.StorageSpec{VolumeClaimTemplate: &monitoringv1.EmbeddedPersistentVolumeClaim{
				Metadata: monitoringv1.EmbeddedObjectMetadata{Name: "data"},
				Spec:     corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOncePod}},
			}}
		}, func(t *testing.T, g Gomega, sts *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(sts.Spec.VolumeClaimTemplates[0].Name).To(Equal("data"))
			g.Expect(sts.Spec.VolumeClaimTemplates[0].Spec.AccessModes).To(Equal([]corev1.PersistentVolumeAccessMode{corev1.ReadWriteOncePod}))
			g.Expect(mount(container(t, pod, "prometheus"), "/prometheus").Name).To(Equal("data"))
		}},
		{"storage with no source is an emptyDir", func(p *monitoringv1.Prometheus) {
			p.Spec.Storage = &monitoringv1.StorageSpec{}
		}, func(t *testing.T, g Gomega, sts *appsv1.StatefulSet, pod *corev1.PodSpec) {
			g.Expect(volume(pod, "prometheus-main-db").EmptyDir).NotTo(BeNil())
			g.Expect(sts.Spec.VolumeClaimTemplates).To(BeEmpty())
		}},
	})
}
