package workload

import (
	"testing"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

const (
	amConfig    = "--config.file=/etc/alertmanager/config_out/alertmanager.env.yaml"
	amStorage   = "--storage.path=/alertmanager"
	amRetention = "--data.retention=120h"
	amNoCluster = "--cluster.listen-address="
	amCluster   = "--cluster.listen-address=[$(POD_IP)]:9094"
	amListen    = "--web.listen-address=:9093"
	amPrefix    = "--web.route-prefix=/"
	amPeerName  = "--cluster.peer-name=$(POD_NAME)"
	amLabel     = "--cluster.label=mon/main"
	amReconnect = "--cluster.reconnect-timeout=5m"
	amWebConfig = "--web.config.file=/etc/alertmanager/web_config/web-config.yaml"
)

// TestAlertmanagerArgs: Alertmanager's command line for each field that
// shapes it, in Prometheus Operator's order (pkg/alertmanager/statefulset.go).
func TestAlertmanagerArgs(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*monitoringv1.Alertmanager)
		opts Options
		want []string
	}{
		{"one replica: no cluster, but itself as peer", nil, Options{},
			[]string{amConfig, amStorage, amRetention, amNoCluster, amListen, amPrefix, amPeerName, amLabel,
				"--cluster.peer=alertmanager-main-0.alertmanager-operated:9094", amReconnect, amWebConfig}},
		{"three replicas peer with each other", func(a *monitoringv1.Alertmanager) { a.Spec.Replicas = ptr(int32(3)) }, Options{},
			[]string{amConfig, amStorage, amRetention, amCluster, amListen, amPrefix, amPeerName, amLabel,
				"--cluster.peer=alertmanager-main-0.alertmanager-operated:9094",
				"--cluster.peer=alertmanager-main-1.alertmanager-operated:9094",
				"--cluster.peer=alertmanager-main-2.alertmanager-operated:9094", amReconnect, amWebConfig}},
		{"cluster fields, forced cluster mode, additional peers, cluster domain", func(a *monitoringv1.Alertmanager) {
			a.Spec.ForceEnableClusterMode = true
			a.Spec.AdditionalPeers = []string{"am.other:9094"}
			a.Spec.ClusterAdvertiseAddress = "10.0.0.1:9094"
			a.Spec.ClusterGossipInterval = "200ms"
			a.Spec.ClusterPushpullInterval = "1m"
			a.Spec.ClusterPeerTimeout = "15s"
			a.Spec.ClusterLabel = ptr("global")
		}, Options{ClusterDomain: "cluster.local"},
			[]string{amConfig, amStorage, amRetention, amCluster, amListen, amPrefix,
				"--cluster.advertise-address=10.0.0.1:9094", "--cluster.gossip-interval=200ms", "--cluster.pushpull-interval=1m",
				"--cluster.peer-timeout=15s", amPeerName, "--cluster.label=global",
				"--cluster.peer=alertmanager-main-0.alertmanager-operated.mon.svc.cluster.local.:9094",
				"--cluster.peer=am.other:9094", amReconnect, amWebConfig}},
		{"web, retention, features, logs, minReadySeconds", func(a *monitoringv1.Alertmanager) {
			a.Spec.Retention = "240h"
			a.Spec.ExternalURL = "https://am.example.com"
			a.Spec.RoutePrefix = "/am"
			a.Spec.EnableFeatures = []string{"receiver-name-in-metrics"}
			a.Spec.Web = &monitoringv1.AlertmanagerWebSpec{GetConcurrency: ptr(int32(4)), Timeout: ptr(int32(30))}
			a.Spec.LogLevel, a.Spec.LogFormat = "debug", "json"
			a.Spec.MinReadySeconds = ptr(int32(20))
		}, Options{},
			[]string{amConfig, amStorage, "--data.retention=240h", amNoCluster, amListen, "--web.external-url=https://am.example.com",
				"--enable-feature=receiver-name-in-metrics", "--web.route-prefix=/am", "--web.get-concurrency=4", "--web.timeout=30",
				"--dispatch.start-delay=20s", "--log.level=debug", "--log.format=json", amPeerName, amLabel,
				"--cluster.peer=alertmanager-main-0.alertmanager-operated:9094", amReconnect, amWebConfig}},
		{"the user's dispatch.start-delay wins over minReadySeconds", func(a *monitoringv1.Alertmanager) {
			a.Spec.MinReadySeconds = ptr(int32(20))
			a.Spec.AdditionalArgs = []monitoringv1.Argument{{Name: "dispatch.start-delay", Value: "1m"}}
		}, Options{},
			[]string{amConfig, amStorage, amRetention, amNoCluster, amListen, amPrefix, amPeerName, amLabel,
				"--cluster.peer=alertmanager-main-0.alertmanager-operated:9094", amReconnect, amWebConfig, "--dispatch.start-delay=1m"}},
		{"listenLocal", func(a *monitoringv1.Alertmanager) { a.Spec.ListenLocal = true }, Options{},
			[]string{amConfig, amStorage, amRetention, amNoCluster, "--web.listen-address=127.0.0.1:9093", amPrefix, amPeerName, amLabel,
				"--cluster.peer=alertmanager-main-0.alertmanager-operated:9094", amReconnect, amWebConfig}},
		{"0.25: no peer name, no cluster label", func(a *monitoringv1.Alertmanager) {
			a.Spec.Version = "v0.25.0"
			a.Spec.EnableFeatures = []string{"x"}
			a.Spec.MinReadySeconds = ptr(int32(20))
		}, Options{},
			[]string{amConfig, amStorage, amRetention, amNoCluster, amListen, amPrefix,
				"--cluster.peer=alertmanager-main-0.alertmanager-operated:9094", amReconnect, amWebConfig}},
		{"0.21: no web configuration file", func(a *monitoringv1.Alertmanager) { a.Spec.Version = "0.21.0" }, Options{},
			[]string{amConfig, amStorage, amRetention, amNoCluster, amListen, amPrefix,
				"--cluster.peer=alertmanager-main-0.alertmanager-operated:9094", amReconnect}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := buildAM(t, am(c.set), c.opts)
			NewWithT(t).Expect(container(t, &w.StatefulSet.Spec.Template.Spec, "alertmanager").Args).To(Equal(c.want))
		})
	}
}

type amCase struct {
	name  string
	set   func(*monitoringv1.Alertmanager)
	check func(t *testing.T, g Gomega, w *AlertmanagerWorkload, pod *corev1.PodSpec)
}

func TestAlertmanagerPod(t *testing.T) {
	mem, cpu := resource.MustParse("1Gi"), resource.MustParse("100m")
	for _, c := range []amCase{
		{"defaults", nil, func(t *testing.T, g Gomega, w *AlertmanagerWorkload, pod *corev1.PodSpec) {
			sts := w.StatefulSet
			g.Expect(sts.Name).To(Equal("alertmanager-main"))
			g.Expect(sts.Spec.ServiceName).To(Equal("alertmanager-operated"))
			g.Expect(sts.Spec.Replicas).To(Equal(ptr(int32(1))))
			g.Expect(sts.Spec.PodManagementPolicy).To(Equal(appsv1.ParallelPodManagement))
			g.Expect(sts.Spec.Selector.MatchLabels).To(Equal(map[string]string{
				"app.kubernetes.io/name": "alertmanager", "app.kubernetes.io/instance": "main",
				"app.kubernetes.io/managed-by": "prometheus-operator", "alertmanager": "main",
			}))
			g.Expect(sts.Spec.Template.Labels).To(HaveKeyWithValue("app.kubernetes.io/version", "0.35.0"))
			g.Expect(sts.Spec.Template.Annotations).To(Equal(map[string]string{"kubectl.kubernetes.io/default-container": "alertmanager"}))
			c := container(t, pod, "alertmanager")
			g.Expect(c.Image).To(Equal("quay.io/prometheus/alertmanager:v0.35.0"))
			g.Expect(c.Resources.Requests).To(Equal(corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("200Mi")}))
			g.Expect(c.Ports).To(Equal([]corev1.ContainerPort{
				{Name: "web", ContainerPort: 9093, Protocol: corev1.ProtocolTCP},
				{Name: "mesh-tcp", ContainerPort: 9094, Protocol: corev1.ProtocolTCP},
				{Name: "mesh-udp", ContainerPort: 9094, Protocol: corev1.ProtocolUDP},
			}))
			g.Expect(c.Env).To(Equal([]corev1.EnvVar{
				{Name: "POD_IP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.podIP"}}},
				{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
			}))
			g.Expect(c.LivenessProbe).To(Equal(&corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/-/healthy", Port: intstr.FromString("web")}}, TimeoutSeconds: 3, FailureThreshold: 10}))
			g.Expect(c.ReadinessProbe).To(Equal(&corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/-/ready", Port: intstr.FromString("web")}}, InitialDelaySeconds: 3, TimeoutSeconds: 3, PeriodSeconds: 5, FailureThreshold: 10}))
			g.Expect(pod.TerminationGracePeriodSeconds).To(Equal(ptr(int64(120))))
			g.Expect(pod.AutomountServiceAccountToken).To(BeNil(), "the service account decides, as with Prometheus Operator")
			g.Expect(pod.SecurityContext).To(Equal(defaultPodSecurityContext()))
			g.Expect(volumeNames(pod)).To(Equal([]string{"config-volume", "config-out", "web-config", "reloader-api-access", "alertmanager-main-db"}))
			g.Expect(volume(pod, "config-volume").Secret).To(Equal(&corev1.SecretVolumeSource{SecretName: "alertmanager-main", Optional: ptr(true)}))
			g.Expect(mount(c, "/alertmanager")).To(Equal(&corev1.VolumeMount{Name: "alertmanager-main-db", MountPath: "/alertmanager"}))
		}},
		{"config-reloader", nil, func(t *testing.T, g Gomega, _ *AlertmanagerWorkload, pod *corev1.PodSpec) {
			want := []string{
				"--config-secret=alertmanager-main-generated",
				"--config-secret-key=alertmanager.yaml.gz",
				"--config-envsubst-file=/etc/alertmanager/config_out/alertmanager.env.yaml",
				"--watched-dir=/etc/alertmanager/config",
				"--reload-url=http://127.0.0.1:9093/-/reload",
				"--listen-address=:8080",
			}
			g.Expect(container(t, pod, "config-reloader").Args).To(Equal(want))
			g.Expect(container(t, pod, "init-config-reloader").Args).To(Equal(append(want, "--init")))
			g.Expect(envVar(container(t, pod, "config-reloader"), "SHARD").Value).To(Equal("-1"))
			g.Expect(container(t, pod, "config-reloader").VolumeMounts).To(Equal([]corev1.VolumeMount{
				{Name: "config-volume", MountPath: "/etc/alertmanager/config", ReadOnly: true},
				{Name: "config-out", MountPath: "/etc/alertmanager/config_out"},
				{Name: "reloader-api-access", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true},
			}))
		}},
		{"replicas: zero stays zero, negative is zero", func(a *monitoringv1.Alertmanager) { a.Spec.Replicas = ptr(int32(-2)) },
			func(t *testing.T, g Gomega, w *AlertmanagerWorkload, _ *corev1.PodSpec) {
				g.Expect(w.StatefulSet.Spec.Replicas).To(Equal(ptr(int32(0))))
			}},
		{"resources: memory requested unless set", func(a *monitoringv1.Alertmanager) {
			a.Spec.Resources = corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: cpu}, Limits: corev1.ResourceList{corev1.ResourceMemory: mem}}
		}, func(t *testing.T, g Gomega, _ *AlertmanagerWorkload, pod *corev1.PodSpec) {
			r := container(t, pod, "alertmanager").Resources
			g.Expect(r.Requests).To(Equal(corev1.ResourceList{corev1.ResourceCPU: cpu, corev1.ResourceMemory: resource.MustParse("200Mi")}))
			g.Expect(r.Limits).To(Equal(corev1.ResourceList{corev1.ResourceMemory: mem}))
		}},
		{"listenLocal: no web port, no probes", func(a *monitoringv1.Alertmanager) { a.Spec.ListenLocal = true },
			func(t *testing.T, g Gomega, _ *AlertmanagerWorkload, pod *corev1.PodSpec) {
				c := container(t, pod, "alertmanager")
				g.Expect(c.Ports).To(HaveLen(2))
				g.Expect(c.LivenessProbe).To(BeNil())
				g.Expect(c.ReadinessProbe).To(BeNil())
				g.Expect(container(t, pod, "config-reloader").Ports).To(BeEmpty())
			}},
		{"version: image tag with v, version label", func(a *monitoringv1.Alertmanager) { a.Spec.Version = "0.33.1" },
			func(t *testing.T, g Gomega, w *AlertmanagerWorkload, pod *corev1.PodSpec) {
				g.Expect(container(t, pod, "alertmanager").Image).To(Equal("quay.io/prometheus/alertmanager:v0.33.1"))
				g.Expect(w.StatefulSet.Spec.Template.Labels).To(HaveKeyWithValue("app.kubernetes.io/version", "0.33.1"))
			}},
		{"templates, secrets and configMaps are mounted and watched", func(a *monitoringv1.Alertmanager) {
			a.Spec.AlertmanagerConfiguration = &monitoringv1.AlertmanagerConfiguration{Name: "base", Templates: []monitoringv1.SecretOrConfigMap{
				{ConfigMap: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "tpl"}, Key: "a.tmpl"}},
				{Secret: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "tpl-secret"}, Key: "b.tmpl"}},
				{Secret: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "other"}, Key: "a.tmpl"}},
			}}
			a.Spec.Secrets = []string{"smtp"}
			a.Spec.ConfigMaps = []string{"extra"}
			a.Spec.ConfigSecret = "my-config"
		}, func(t *testing.T, g Gomega, _ *AlertmanagerWorkload, pod *corev1.PodSpec) {
			g.Expect(volume(pod, "config-volume").Secret.SecretName).To(Equal("my-config"))
			tpl := volume(pod, "notification-templates").Projected.Sources
			g.Expect(tpl).To(HaveLen(2), "of two templates with the same key, the first is kept")
			g.Expect(tpl[0].ConfigMap.Items).To(Equal([]corev1.KeyToPath{{Key: "a.tmpl", Path: "a.tmpl"}}))
			g.Expect(tpl[1].Secret.Name).To(Equal("tpl-secret"))
			for _, n := range []string{"alertmanager", "config-reloader"} {
				c := container(t, pod, n)
				g.Expect(mount(c, "/etc/alertmanager/templates")).NotTo(BeNil())
				g.Expect(mount(c, "/etc/alertmanager/secrets/smtp").Name).To(Equal("secret-smtp"))
				g.Expect(mount(c, "/etc/alertmanager/configmaps/extra").Name).To(Equal("configmap-extra"))
			}
			g.Expect(container(t, pod, "config-reloader").Args).To(ContainElements(
				"--watched-dir=/etc/alertmanager/config", "--watched-dir=/etc/alertmanager/templates",
				"--watched-dir=/etc/alertmanager/secrets/smtp", "--watched-dir=/etc/alertmanager/configmaps/extra"))
		}},
		{"pod fields shared with Prometheus", func(a *monitoringv1.Alertmanager) {
			a.Spec.ServiceAccountName = "alertmanager-main"
			a.Spec.AutomountServiceAccountToken = ptr(false)
			a.Spec.NodeSelector = map[string]string{"kubernetes.io/os": "linux"}
			a.Spec.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: corev1.ScheduleAnyway}}
			a.Spec.TerminationGracePeriodSeconds = ptr(int64(10))
			a.Spec.HostNetwork = true
			a.Spec.MinReadySeconds = ptr(int32(5))
			a.Spec.Storage = &monitoringv1.StorageSpec{EmptyDir: &corev1.EmptyDirVolumeSource{}}
			a.Spec.PodMetadata = &monitoringv1.EmbeddedObjectMetadata{Annotations: map[string]string{"kubectl.kubernetes.io/default-container": "x"}}
		}, func(t *testing.T, g Gomega, w *AlertmanagerWorkload, pod *corev1.PodSpec) {
			g.Expect(pod.ServiceAccountName).To(Equal("alertmanager-main"))
			g.Expect(w.RoleBinding.Subjects[0].Name).To(Equal("alertmanager-main"))
			g.Expect(pod.AutomountServiceAccountToken).To(Equal(ptr(false)))
			g.Expect(pod.NodeSelector).To(Equal(map[string]string{"kubernetes.io/os": "linux"}))
			g.Expect(pod.TopologySpreadConstraints[0].TopologyKey).To(Equal("zone"))
			g.Expect(pod.TerminationGracePeriodSeconds).To(Equal(ptr(int64(10))))
			g.Expect(pod.DNSPolicy).To(Equal(corev1.DNSClusterFirstWithHostNet))
			g.Expect(w.StatefulSet.Spec.MinReadySeconds).To(Equal(int32(5)))
			g.Expect(mount(container(t, pod, "alertmanager"), "/alertmanager").SubPath).To(Equal("alertmanager-db"))
			g.Expect(w.StatefulSet.Spec.Template.Annotations).To(Equal(map[string]string{"kubectl.kubernetes.io/default-container": "alertmanager"}))
		}},
		{"web TLS: HTTPS probes and reload", func(a *monitoringv1.Alertmanager) {
			a.Spec.Web = &monitoringv1.AlertmanagerWebSpec{WebConfigFileFields: monitoringv1.WebConfigFileFields{TLSConfig: &monitoringv1.WebTLSConfig{
				Cert:      &monitoringv1.SecretOrConfigMap{Secret: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "am-tls"}, Key: "tls.crt"}},
				KeySecret: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "am-tls"}, Key: "tls.key"},
			}}}
		}, func(t *testing.T, g Gomega, w *AlertmanagerWorkload, pod *corev1.PodSpec) {
			g.Expect(container(t, pod, "alertmanager").ReadinessProbe.HTTPGet.Scheme).To(Equal(corev1.URISchemeHTTPS))
			g.Expect(container(t, pod, "config-reloader").Args).To(ContainElement("--reload-url=https://127.0.0.1:9093/-/reload"))
			g.Expect(string(w.WebConfig.Data["web-config.yaml"])).To(ContainSubstring("cert_file: /etc/alertmanager/web_config/secret/am-tls-cert/tls.crt"))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := buildAM(t, am(c.set), Options{})
			c.check(t, NewWithT(t), w, &w.StatefulSet.Spec.Template.Spec)
		})
	}
}
