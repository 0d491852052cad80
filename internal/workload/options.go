package workload

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// The versions Vigil runs when spec.version is unset: the versions of
// Prometheus and Alertmanager Vigil is built and tested with.
const (
	DefaultPrometheusVersion   = "v3.16.0"
	DefaultAlertmanagerVersion = "v0.35.0"
)

// Default images: Prometheus Operator's, with the version appended as the
// tag.
const (
	DefaultPrometheusBaseImage     = "quay.io/prometheus/prometheus"
	DefaultAlertmanagerBaseImage   = "quay.io/prometheus/alertmanager"
	DefaultConfigReloaderBaseImage = "ghcr.io/vigil-monitoring/config-reloader"
)

// Version is Vigil's own version, the default config-reloader image's tag.
// Release builds set it with -ldflags "-X ...workload.Version=v1.2.3".
var Version = "dev"

// Options are the operator's settings that shape every workload, the
// counterparts of Prometheus Operator's flags of the same purpose. The zero
// value is Prometheus Operator's defaults with Vigil's images.
type Options struct {
	// PrometheusBaseImage is the image spec.version is appended to as a
	// tag when spec.image is unset; used as it is when it already has a
	// tag or digest (--prometheus-default-base-image).
	PrometheusBaseImage string
	// AlertmanagerBaseImage is the same for Alertmanager
	// (--alertmanager-default-base-image).
	AlertmanagerBaseImage string
	// ConfigReloaderImage is the config-reloader sidecar's image;
	// DefaultConfigReloaderBaseImage:Version when empty.
	ConfigReloaderImage string
	// ConfigReloaderResources of the config-reloader containers; when nil,
	// Prometheus Operator's: 10m CPU and 50Mi of memory, requested and
	// limited.
	ConfigReloaderResources *corev1.ResourceRequirements
	// Labels are added to every object built, and win over the object's
	// own (--labels).
	Labels map[string]string
	// Annotations are added to every object built (--annotations).
	Annotations map[string]string
	// ClusterDomain, when set, makes Alertmanager peer addresses fully
	// qualified: <pod>.<service>.<namespace>.svc.<domain>. (--cluster-domain).
	ClusterDomain string
}

func (o Options) prometheusBaseImage() string {
	return orDefault(o.PrometheusBaseImage, DefaultPrometheusBaseImage)
}

func (o Options) alertmanagerBaseImage() string {
	return orDefault(o.AlertmanagerBaseImage, DefaultAlertmanagerBaseImage)
}

func (o Options) configReloaderImage() string {
	return orDefault(o.ConfigReloaderImage, DefaultConfigReloaderBaseImage+":"+Version)
}

func (o Options) configReloaderResources() corev1.ResourceRequirements {
	if o.ConfigReloaderResources != nil {
		return *o.ConfigReloaderResources.DeepCopy()
	}
	cpu, mem := resource.MustParse("10m"), resource.MustParse("50Mi")
	return corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: cpu, corev1.ResourceMemory: mem},
		Limits:   corev1.ResourceList{corev1.ResourceCPU: cpu, corev1.ResourceMemory: mem},
	}
}

// image is the container image: spec.image when set, else the base image
// as it is when it has a tag or digest, else the base image tagged with
// the version.
func image(specImage *string, base string, v version) string {
	if specImage != nil && strings.TrimSpace(*specImage) != "" {
		return *specImage
	}
	if hasTagOrDigest(base) {
		return base
	}
	return base + ":" + v.tag()
}

// hasTagOrDigest says whether an image reference names a tag or a digest:
// a digest follows an @, a tag a colon in the last path element (a colon
// before it is a registry port).
func hasTagOrDigest(ref string) bool {
	if strings.Contains(ref, "@") {
		return true
	}
	last := ref[strings.LastIndex(ref, "/")+1:]
	return strings.Contains(last, ":")
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return v
}
