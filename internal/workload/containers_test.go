package workload

import (
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// TestPrometheusConfigReloader: the sidecar and init container read the
// configuration Secret and the rule ConfigMaps through the API (see
// cmd/config-reloader's flags).
func TestPrometheusConfigReloader(t *testing.T) {
	g := NewWithT(t)
	pod := &buildProm(t, prom(), Options{}).StatefulSets[0].Spec.Template.Spec
	want := []string{
		"--config-secret=prometheus-main",
		"--config-secret-key=prometheus.yaml.gz",
		"--config-envsubst-file=/etc/prometheus/config_out/prometheus.env.yaml",
		"--rules-configmap-selector=prometheus-name=main,app.kubernetes.io/managed-by=vigil",
		"--rules-dir=/etc/prometheus/rules",
		"--reload-url=http://127.0.0.1:9090/-/reload",
		"--listen-address=:8080",
	}
	sidecar, initC := container(t, pod, "config-reloader"), container(t, pod, "init-config-reloader")
	g.Expect(sidecar.Args).To(Equal(want))
	g.Expect(initC.Args).To(Equal(append(want, "--init")))
	g.Expect(containerNames(pod.Containers)).To(Equal([]string{"prometheus", "config-reloader"}))
	g.Expect(containerNames(pod.InitContainers)).To(Equal([]string{"init-config-reloader"}))
	for _, c := range []*corev1.Container{sidecar, initC} {
		g.Expect(c.Env).To(Equal([]corev1.EnvVar{
			{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
			{Name: "POD_NAMESPACE", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.namespace"}}},
			{Name: "SHARD", Value: "0"},
		}))
		g.Expect(c.VolumeMounts).To(Equal([]corev1.VolumeMount{
			{Name: "config-out", MountPath: "/etc/prometheus/config_out"},
			{Name: "rules", MountPath: "/etc/prometheus/rules"},
			{Name: "reloader-api-access", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true},
		}))
		g.Expect(c.Image).To(Equal("ghcr.io/vigil-monitoring/config-reloader:" + Version))
		g.Expect(c.Command).To(BeEmpty())
		g.Expect(c.Resources.Limits.Cpu().String()).To(Equal("10m"))
		g.Expect(c.Resources.Requests.Memory().String()).To(Equal("50Mi"))
		g.Expect(*c.SecurityContext.ReadOnlyRootFilesystem).To(BeTrue())
	}
	g.Expect(sidecar.Ports).To(Equal([]corev1.ContainerPort{{Name: "reloader-web", ContainerPort: 8080, Protocol: corev1.ProtocolTCP}}))
	g.Expect(initC.Ports).To(BeEmpty())
	// The configuration goes to memory, the rules to a disk-backed
	// emptyDir; no Secret or ConfigMap volume.
	g.Expect(volume(pod, "config-out").EmptyDir.Medium).To(Equal(corev1.StorageMediumMemory))
	g.Expect(volume(pod, "rules").EmptyDir).To(Equal(&corev1.EmptyDirVolumeSource{}))
	g.Expect(volume(pod, "config")).To(BeNil())
	g.Expect(volume(pod, "tls-assets")).To(BeNil())

	// Log settings reach the config-reloader too.
	pod = &buildProm(t, prom(func(p *monitoringv1.Prometheus) { p.Spec.LogLevel, p.Spec.LogFormat = "warn", "json" }), Options{}).StatefulSets[0].Spec.Template.Spec
	g.Expect(container(t, pod, "config-reloader").Args).To(ContainElements("--log-level=warn", "--log-format=json"))
}

func TestPrometheusShards(t *testing.T) {
	g := NewWithT(t)
	w := buildProm(t, prom(func(p *monitoringv1.Prometheus) { p.Spec.Shards = ptr(int32(3)) }), Options{})
	g.Expect(w.StatefulSets).To(HaveLen(3))
	for i, name := range []string{"prometheus-main", "prometheus-main-shard-1", "prometheus-main-shard-2"} {
		sts := w.StatefulSets[i]
		shard := []string{"0", "1", "2"}[i]
		g.Expect(sts.Name).To(Equal(name))
		g.Expect(sts.Spec.Selector.MatchLabels).To(HaveKeyWithValue("operator.prometheus.io/shard", shard))
		g.Expect(sts.Spec.Template.Labels).To(HaveKeyWithValue("operator.prometheus.io/shard", shard))
		g.Expect(sts.Labels).To(HaveKeyWithValue("operator.prometheus.io/shard", shard))
		pod := &sts.Spec.Template.Spec
		for _, c := range []string{"config-reloader", "init-config-reloader"} {
			g.Expect(envVar(container(t, pod, c), "SHARD").Value).To(Equal(shard))
		}
	}
	// Fewer than one shard is one.
	g.Expect(buildProm(t, prom(func(p *monitoringv1.Prometheus) { p.Spec.Shards = ptr(int32(0)) }), Options{}).StatefulSets).To(HaveLen(1))
}

// TestContainersMerge: spec.containers and spec.initContainers patch the
// generated containers of the same name with a strategic merge, and the
// others are added after them.
func TestContainersMerge(t *testing.T) {
	g := NewWithT(t)
	mem := resource.MustParse("1Gi")
	w := buildProm(t, prom(func(p *monitoringv1.Prometheus) {
		p.Spec.Containers = []corev1.Container{
			{Name: "oauth-proxy", Image: "quay.io/oauth2-proxy/oauth2-proxy:v7"},
			{
				Name:      "prometheus",
				Env:       []corev1.EnvVar{{Name: "GOMAXPROCS", Value: "2"}},
				Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceMemory: mem}},
				// Another kind of handler replaces the generated one.
				LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"true"}}}},
				VolumeMounts:  []corev1.VolumeMount{{Name: "extra", MountPath: "/extra"}},
			},
		}
		p.Spec.InitContainers = []corev1.Container{
			{Name: "init-config-reloader", Args: []string{"--init"}},
			{Name: "chown", Image: "busybox"},
		}
	}), Options{})
	pod := &w.StatefulSets[0].Spec.Template.Spec
	g.Expect(containerNames(pod.Containers)).To(Equal([]string{"prometheus", "config-reloader", "oauth-proxy"}))
	g.Expect(containerNames(pod.InitContainers)).To(Equal([]string{"init-config-reloader", "chown"}))
	c := container(t, pod, "prometheus")
	g.Expect(c.Env).To(Equal([]corev1.EnvVar{{Name: "GOMAXPROCS", Value: "2"}}))
	g.Expect(c.Resources.Limits).To(Equal(corev1.ResourceList{corev1.ResourceMemory: mem}))
	g.Expect(c.Args).To(ContainElement(argTSDB), "fields the patch does not set are kept")
	g.Expect(c.LivenessProbe.HTTPGet).To(BeNil())
	g.Expect(c.LivenessProbe.Exec.Command).To(Equal([]string{"true"}))
	g.Expect(c.LivenessProbe.PeriodSeconds).To(Equal(int32(5)))
	g.Expect(mount(c, "/extra")).NotTo(BeNil())
	g.Expect(mount(c, "/prometheus")).NotTo(BeNil(), "volume mounts merge by mount path")
	// A list of strings is replaced.
	g.Expect(container(t, pod, "init-config-reloader").Args).To(Equal([]string{"--init"}))
}

func TestImages(t *testing.T) {
	for _, c := range []struct {
		name    string
		version string
		image   *string
		base    string
		want    string
	}{
		{"default", "", nil, "", "quay.io/prometheus/prometheus:v3.16.0"},
		{"version without v", "3.13.2", nil, "", "quay.io/prometheus/prometheus:v3.13.2"},
		{"short version", "v3.5", nil, "", "quay.io/prometheus/prometheus:v3.5.0"},
		{"image wins", "3.13.2", ptr("registry.local/prometheus:custom"), "", "registry.local/prometheus:custom"},
		{"blank image is unset", "", ptr(" "), "", "quay.io/prometheus/prometheus:v3.16.0"},
		{"operator's base image", "", nil, "registry.local:5000/prometheus", "registry.local:5000/prometheus:v3.16.0"},
		{"base image with a tag is used as it is", "", nil, "registry.local/prometheus:pinned", "registry.local/prometheus:pinned"},
		{"base image with a digest is used as it is", "", nil, "registry.local/prometheus@sha256:0123", "registry.local/prometheus@sha256:0123"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := buildProm(t, prom(func(p *monitoringv1.Prometheus) { p.Spec.Version, p.Spec.Image = c.version, c.image }), Options{PrometheusBaseImage: c.base})
			NewWithT(t).Expect(container(t, &w.StatefulSets[0].Spec.Template.Spec, "prometheus").Image).To(Equal(c.want))
		})
	}
}

func TestOptions(t *testing.T) {
	g := NewWithT(t)
	cpu := resource.MustParse("50m")
	opts := Options{
		ConfigReloaderImage:     "registry.local/reloader:v1",
		ConfigReloaderResources: &corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: cpu}},
		Labels:                  map[string]string{"cost-center": "ops"},
		Annotations:             map[string]string{"owner": "sre"},
	}
	pw := buildProm(t, prom(func(p *monitoringv1.Prometheus) {
		p.Labels = map[string]string{"from-object": "yes"}
		p.Annotations = map[string]string{"kubectl.kubernetes.io/last-applied-configuration": "{}", "object": "a"}
	}), opts)
	sts := pw.StatefulSets[0]
	pod := &sts.Spec.Template.Spec
	g.Expect(container(t, pod, "config-reloader").Image).To(Equal("registry.local/reloader:v1"))
	g.Expect(container(t, pod, "init-config-reloader").Resources.Requests).To(Equal(corev1.ResourceList{corev1.ResourceCPU: cpu}))
	for _, labels := range []map[string]string{sts.Labels, sts.Spec.Selector.MatchLabels, sts.Spec.Template.Labels, pw.Role.Labels, pw.WebConfig.Labels} {
		g.Expect(labels).To(HaveKeyWithValue("cost-center", "ops"))
	}
	g.Expect(sts.Labels).To(HaveKeyWithValue("from-object", "yes"))
	g.Expect(sts.Annotations).To(HaveKeyWithValue("owner", "sre"))
	g.Expect(sts.Annotations).To(HaveKeyWithValue("object", "a"))
	g.Expect(sts.Annotations).NotTo(HaveKey("kubectl.kubernetes.io/last-applied-configuration"), "kubectl apply --prune on the owner's manifest must not delete it")
	svc := PrometheusService([]*monitoringv1.Prometheus{prom()}, opts)
	g.Expect(svc.Labels).To(HaveKeyWithValue("cost-center", "ops"))
	g.Expect(svc.Annotations).To(HaveKeyWithValue("owner", "sre"))
}
